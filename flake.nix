{
  # The toolchain for every client, never the code under test: no moq package is
  # in this shell. The moq binaries come from a channel (cargo, brew, apt, docker),
  # or `just nix-channel` builds the moq flake ad hoc with --refresh. So flake.lock
  # pins nixpkgs, the toolchain, and can never hold moq back (freshness.java checks).
  description = "moq smoke: client toolchains for the published-package interop test";

  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-26.05";

  outputs = { nixpkgs, ... }:
    let
      # No x86_64-darwin: the native moq packages ship no Intel-macOS builds.
      systems = [ "x86_64-linux" "aarch64-linux" "aarch64-darwin" ];
      forEachSystem = f: nixpkgs.lib.genAttrs systems (system: f nixpkgs.legacyPackages.${system});
    in
    {
      devShells = forEachSystem (pkgs:
        let
          inherit (pkgs) lib;
          # playwright-java's version, the one pinned package: its driver must find
          # the Chromium revision this nixpkgs ships. freshness.java reads this line
          # and fails when the //DEPS pin differs. playwright-java only releases x.y.0
          # and Chromium moves with the minor version, so the minor versions must agree.
          PLAYWRIGHT_VERSION = "1.59.0";
          driver = pkgs.playwright-driver;
        in
        assert lib.assertMsg (lib.versions.majorMinor driver.version == lib.versions.majorMinor PLAYWRIGHT_VERSION)
          "nixpkgs ships Playwright ${driver.version}'s Chromium: set PLAYWRIGHT_VERSION and playwright-java's //DEPS to match";
        {
          default = pkgs.mkShell {
            packages = [
              pkgs.jdk21
              pkgs.jbang
              pkgs.ffmpeg
              pkgs.uv
              pkgs.go
              pkgs.bun
              pkgs.nodejs
              pkgs.cargo
              pkgs.rustc
              pkgs.just
              (lib.getBin pkgs.gst_all_1.gstreamer)
              pkgs.gst_all_1.gst-plugins-base
              # The c-cmake and c-pkgconfig cells build through them.
              pkgs.cmake
              pkgs.pkg-config
              pkgs.shellcheck
              pkgs.actionlint
              pkgs.git
              pkgs.jq
              pkgs.coreutils
            ];

            inherit PLAYWRIGHT_VERSION;
            PLAYWRIGHT_BROWSERS_PATH = driver.browsers;
            PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD = "1";
            PLAYWRIGHT_SKIP_VALIDATE_HOST_REQUIREMENTS = "true";
            # playwright-java's bundled Node is a generic Linux binary, which NixOS can't run.
            PLAYWRIGHT_NODEJS_PATH = "${pkgs.nodejs}/bin/node";
          };
        });
    };
}
