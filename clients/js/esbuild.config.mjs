// The esbuild variant: bundles the same smoke.js that vite builds, next to a copy of index.html.
// Run: node esbuild.config.mjs
import { copyFileSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import * as esbuild from "esbuild";
import { versionsJson } from "./moq-versions.mjs";

const outdir = "dist/esbuild";
rmSync(outdir, { recursive: true, force: true });
mkdirSync(outdir, { recursive: true });

const result = await esbuild.build({
	entryPoints: ["smoke.js"],
	bundle: true,
	format: "esm",
	minify: true,
	target: "es2022",
	outdir,
	// The metafile maps each output to the input modules in it: that is how the @moq/* versions are found.
	metafile: true,
	logLevel: "info",
});

// index.html loads ./smoke.js, which is also the name of esbuild's output.
copyFileSync("index.html", `${outdir}/index.html`);
// Inputs that tree shaking dropped entirely are still listed, with no bytes in any output.
const shipped = Object.values(result.metafile.outputs).flatMap((output) =>
	Object.entries(output.inputs)
		.filter(([, input]) => input.bytesInOutput > 0)
		.map(([path]) => path),
);
writeFileSync(`${outdir}/moq-versions.json`, versionsJson(`esbuild ${esbuild.version}`, shipped));
writeFileSync(`${outdir}/meta.json`, JSON.stringify(result.metafile));
