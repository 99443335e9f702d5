import Foundation
import PackagePlugin

/// Stamps the commit a build comes from into `TillVersion` without a network call: before each build it
/// asks the local git checkout for HEAD (`+changes` when tracked files differ from it; `unknown` outside a
/// checkout) and writes `let buildCommit = "…"`. The file is replaced only when its text changes, so an
/// unchanged checkout rebuilds nothing.
@main
struct BuildInfoPlugin: BuildToolPlugin {
  func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
    let generated = context.pluginWorkDirectoryURL.appending(path: "Generated")
    let output = generated.appending(path: "BuildCommit.swift")
    let staging = context.pluginWorkDirectoryURL.appending(path: "BuildCommit.swift.new")
    let script = """
      root="$1"; output="$2"; staging="$3"
      mkdir -p "$(dirname "$output")"
      commit=$(git -C "$root" rev-parse --short=12 HEAD 2>/dev/null) || commit=unknown
      if [ "$commit" != unknown ] && ! git -C "$root" diff --quiet HEAD -- 2>/dev/null; then
        commit="$commit+changes"
      fi
      printf '// Written by BuildInfoPlugin before each build.\\nlet buildCommit = "%s"\\n' "$commit" > "$staging"
      if cmp -s "$staging" "$output"; then rm -f "$staging"; else mv "$staging" "$output"; fi
      """
    return [
      .prebuildCommand(
        displayName: "Stamping the build's commit", executable: URL(fileURLWithPath: "/bin/sh"),
        arguments: ["-c", script, "stamp", context.package.directoryURL.path, output.path, staging.path],
        outputFilesDirectory: generated)
    ]
  }
}
