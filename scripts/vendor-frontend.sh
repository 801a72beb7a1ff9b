#!/usr/bin/env bash
# Vendor front-end libraries from the npm registry into
# src/dangjian/static/vendor/ so that nothing is fetched from a CDN at run time.
#
# Versions are pinned exactly below; re-running the script reproduces the same
# files. To upgrade, look up the newest version within the intended range, e.g.
#   npm view 'bootstrap@5.3' version
#   npm view 'htmx.org@2.0' version   # stay on 2.0.x, NOT 4.x
#   npm view 'echarts@6' version
#   npm view 'leaflet@1.9' version
# then edit the pins and re-run.
#
# Only the minified distribution files, the licence and (for Leaflet) the
# images are copied. Trailing sourceMappingURL comments are stripped because the
# .map files are not vendored and whitenoise's CompressedManifestStaticFilesStorage
# would otherwise fail collectstatic looking for them.
#
# Requires: bash, npm, tar, sed.
set -euo pipefail

BOOTSTRAP_VERSION="5.3.9"
HTMX_VERSION="2.0.11"
ECHARTS_VERSION="6.1.0"
LEAFLET_VERSION="1.9.4"

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DEST="${REPO_ROOT}/src/dangjian/static/vendor"

WORK="$(mktemp -d)"
trap 'rm -rf "${WORK}"' EXIT

# fetch <npm-name> <version> -> prints the extracted package directory
fetch() {
    local name="$1" version="$2" tarball dir
    tarball="$(cd "${WORK}" && npm pack --silent "${name}@${version}" | tail -n 1)"
    dir="${WORK}/${name}-${version}"
    mkdir -p "${dir}"
    tar -xzf "${WORK}/${tarball}" -C "${dir}" --strip-components=1
    printf '%s\n' "${dir}"
}

# strip_sourcemap <file>: drop `//# sourceMappingURL=...` and
# `/*# sourceMappingURL=... */` comments (also the legacy `@` form).
strip_sourcemap() {
    local f="$1"
    sed -E -i \
        -e '\|^[[:space:]]*/\*[#@][[:space:]]*sourceMappingURL=[^*]*\*/[[:space:]]*$|d' \
        -e '\|^[[:space:]]*//[#@][[:space:]]*sourceMappingURL=.*$|d' \
        "${f}"
}

# install_file <src> <dest>
install_file() {
    install -D -m 0644 "$1" "$2"
}

echo "Fetching packages into ${WORK} ..."
bootstrap_dir="$(fetch bootstrap "${BOOTSTRAP_VERSION}")"
htmx_dir="$(fetch htmx.org "${HTMX_VERSION}")"
echarts_dir="$(fetch echarts "${ECHARTS_VERSION}")"
leaflet_dir="$(fetch leaflet "${LEAFLET_VERSION}")"

# Start from a clean vendor directory so stale files never linger.
rm -rf "${DEST}"
mkdir -p "${DEST}"

# --- Bootstrap ---------------------------------------------------------------
install_file "${bootstrap_dir}/dist/css/bootstrap.min.css" "${DEST}/bootstrap/css/bootstrap.min.css"
install_file "${bootstrap_dir}/dist/js/bootstrap.bundle.min.js" "${DEST}/bootstrap/js/bootstrap.bundle.min.js"
install_file "${bootstrap_dir}/LICENSE" "${DEST}/bootstrap/LICENSE"

# --- htmx --------------------------------------------------------------------
install_file "${htmx_dir}/dist/htmx.min.js" "${DEST}/htmx/htmx.min.js"
install_file "${htmx_dir}/LICENSE" "${DEST}/htmx/LICENSE"

# --- ECharts (full minified build, no source map) ------------------------------
install_file "${echarts_dir}/dist/echarts.min.js" "${DEST}/echarts/echarts.min.js"
install_file "${echarts_dir}/LICENSE" "${DEST}/echarts/LICENSE"
install_file "${echarts_dir}/licenses/LICENSE-d3" "${DEST}/echarts/licenses/LICENSE-d3"

# --- Leaflet -----------------------------------------------------------------
install_file "${leaflet_dir}/dist/leaflet.js" "${DEST}/leaflet/leaflet.js"
install_file "${leaflet_dir}/dist/leaflet.css" "${DEST}/leaflet/leaflet.css"
install_file "${leaflet_dir}/LICENSE" "${DEST}/leaflet/LICENSE"
mkdir -p "${DEST}/leaflet/images"
for img in "${leaflet_dir}"/dist/images/*; do
    install_file "${img}" "${DEST}/leaflet/images/$(basename "${img}")"
done

# --- Strip source-map references ------------------------------------------------
while IFS= read -r -d '' f; do
    strip_sourcemap "${f}"
done < <(find "${DEST}" -type f \( -name '*.js' -o -name '*.css' \) -print0)

if grep -rl 'sourceMappingURL' "${DEST}"; then
    echo "error: sourceMappingURL reference(s) remain in the files above" >&2
    exit 1
fi

# --- Record versions -------------------------------------------------------------
cat > "${DEST}/VERSIONS.txt" <<EOF
bootstrap@${BOOTSTRAP_VERSION}
htmx.org@${HTMX_VERSION}
echarts@${ECHARTS_VERSION}
leaflet@${LEAFLET_VERSION}
EOF

echo "Vendored into ${DEST}:"
cat "${DEST}/VERSIONS.txt"
