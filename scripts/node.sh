# Sourced by the set-up, test, sample and CI scripts: puts Node 24 LTS first on PATH. The machine's
# `node` is used when it is 24 or newer; otherwise `node-<platform>-<arch>@$GOKA_NODE_VERSION` (the
# npm registry's Node binaries) is installed once into .tools/node-<version>/ and used (the machine's
# Node, e.g. 20, and its npm only bootstrap that). pnpm and every child process then run on that
# Node. The project supports Node >= 22.12 (packages) and tests on 24 LTS: Node 20 reached end of
# life on 2026-04-30 and is not supported. GOKA_NODE=system keeps the machine's Node when it is 22.12
# or newer, and fails otherwise.
GOKA_NODE_VERSION=24.21.0

if [ "${GOKA_NODE:-}" = system ]; then
  # Drop a Node of .tools/ that an enclosing script put first on PATH.
  PATH=$(printf '%s' "$PATH" | tr ':' '\n' | grep -v '/\.tools/node-' | paste -sd: -)
  export PATH
  if ! node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 22 || (a === 22 && b >= 12) ? 0 : 1)'; then
    echo "node: GOKA_NODE=system, but the machine's Node $(node --version) is older than 22.12, which the project needs (unset GOKA_NODE to use Node $GOKA_NODE_VERSION)" >&2
    return 1 2>/dev/null || exit 1
  fi
elif [ "$(node -p 'process.versions.node.split(".")[0]')" -lt 24 ]; then
  goka_node_dir="$PWD/.tools/node-$GOKA_NODE_VERSION"
  if [ ! -x "$goka_node_dir/bin/node" ]; then
    goka_node_pkg="node-$(node -p 'process.platform')-$(node -p 'process.arch')"
    echo "node: installing $goka_node_pkg@$GOKA_NODE_VERSION from the npm registry into $goka_node_dir" >&2
    rm -rf "$goka_node_dir.tmp"
    npm install --prefix "$goka_node_dir.tmp" --no-save --no-audit --no-fund --ignore-scripts \
      "$goka_node_pkg@$GOKA_NODE_VERSION" >&2
    mv "$goka_node_dir.tmp/node_modules/$goka_node_pkg" "$goka_node_dir"
    rm -rf "$goka_node_dir.tmp"
  fi
  export PATH="$goka_node_dir/bin:$PATH"
fi
echo "node: $(command -v node) $(node --version)" >&2
