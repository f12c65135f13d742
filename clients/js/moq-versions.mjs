// A bundle flattens its packages, and one page can carry several copies of a package
// (@moq/watch and @moq/publish each pin their own @moq/net). Which versions really
// shipped is only known at build time, so each build maps every bundled module back
// to the package.json that owns it and writes the list next to the bundle, where the
// page (and the harness) read it.
import { readFileSync } from "node:fs";
import { join } from "node:path";

const owners = new Map();

function owner(dir) {
	if (!owners.has(dir)) owners.set(dir, JSON.parse(readFileSync(join(dir, "package.json"), "utf8")));
	return owners.get(dir);
}

/** {"@moq/net": ["0.1.9", "0.2.8"], ...} for module paths (absolute, or relative to the cwd). */
export function moqPackages(modulePaths) {
	const found = {};
	for (const id of modulePaths) {
		// Bundlers decorate ids: "\0" for virtual modules, "?query" suffixes, Windows separators.
		const path = id.replace(/^\0/, "").split("?")[0].replaceAll("\\", "/");
		// Greedy prefix: the innermost node_modules/@moq/<name> owns the file.
		const match = path.match(/^(.*node_modules\/@moq\/[^/]+)\//);
		if (!match) continue;
		const pkg = owner(match[1]);
		(found[pkg.name] ??= new Set()).add(pkg.version);
	}
	const byVersion = (a, b) => a.localeCompare(b, "en", { numeric: true });
	return Object.fromEntries(
		Object.keys(found)
			.sort()
			.map((name) => [name, [...found[name]].sort(byVersion)]),
	);
}

export function versionsJson(bundler, modulePaths) {
	return `${JSON.stringify({ bundler, packages: moqPackages(modulePaths) }, null, 2)}\n`;
}
