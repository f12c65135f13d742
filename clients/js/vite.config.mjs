import { defineConfig, version } from "vite";
import { versionsJson } from "./moq-versions.mjs";

// Writes moq-versions.json from the modules that actually landed in the output chunks.
function moqVersions() {
	return {
		name: "moq-versions",
		generateBundle(_options, bundle) {
			// A module that tree shaking emptied is still listed, with nothing rendered.
			const modules = Object.values(bundle).flatMap((out) =>
				out.type === "chunk"
					? Object.entries(out.modules)
							.filter(([, module]) => module.renderedLength > 0)
							.map(([id]) => id)
					: [],
			);
			this.emitFile({ type: "asset", fileName: "moq-versions.json", source: versionsJson(`vite ${version}`, modules) });
		},
	};
}

export default defineConfig({
	// Relative asset URLs, so the harness can serve dist/vite from any path.
	base: "./",
	publicDir: false,
	build: {
		outDir: "dist/vite",
		emptyOutDir: true,
		// index.html only: cdn.html is served as is, unbundled.
		rollupOptions: { input: "index.html" },
	},
	plugins: [moqVersions()],
});
