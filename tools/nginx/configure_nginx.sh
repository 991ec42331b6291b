#!/usr/bin/env bash
# Runs Debian's nginx configure recipe (nginx-dev's conf_flags, so that the
# module matches the installed nginx's ABI) on a copy of nginx-dev's sources.
# Usage: configure_nginx.sh NGINX_DEV_SOURCE OUT_DIR MODULE_DIR
# Leaves OUT_DIR/objs/ngx_auto_config.h, ngx_auto_headers.h and
# ngx_http_stepup_module_modules.c; the log is OUT_DIR/configure.log.
set -euo pipefail
source_dir="$1"
out_dir="$2"
module_dir="$3"
rm -rf "$out_dir"
mkdir -p "$out_dir"
cp -r "$source_dir"/. "$out_dir"
cd "$out_dir"
# shellcheck disable=SC1091
. ./conf_flags
if ! ./configure --with-cc-opt=-fPIC --with-ld-opt=-fPIC "${NGX_CONF_FLAGS[@]}" \
    --add-dynamic-module="$module_dir" >configure.log 2>&1; then
  echo "configure_nginx.sh: nginx's configure failed; its log ($out_dir/configure.log) ends:" >&2
  tail -20 configure.log >&2
  exit 1
fi
