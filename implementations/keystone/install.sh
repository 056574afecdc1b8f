#!/bin/sh
# Installs OpenStack keystone from Debian (python3-keystone: the server code,
# keystone-manage and keystone-wsgi-public, no apache, no daemon) and
# libfaketime, for with-server.sh. Idempotent: no apt-get when both are
# installed. On failure the reason is the last line of output.
set -u
PKGS="python3-keystone libfaketime"
missing=""
for p in $PKGS; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing="$missing $p"
    fi
done
if [ -n "$missing" ]; then
    SUDO=""
    [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    echo "implementations/keystone: installing$missing"
    if ! $SUDO apt-get update; then
        echo "implementations/keystone: apt-get update failed"; exit 1
    fi
    if ! DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends $missing; then
        echo "implementations/keystone: apt-get install -y --no-install-recommends$missing failed"; exit 1
    fi
fi
for t in keystone-manage keystone-wsgi-public; do
    if ! command -v $t >/dev/null; then
        echo "implementations/keystone: python3-keystone is installed but $t is not on PATH"; exit 1
    fi
done
if ! dpkg -L libfaketime | grep -q '/libfaketime\.so\.1$'; then
    echo "implementations/keystone: libfaketime is installed but libfaketime.so.1 is not in it"; exit 1
fi
if ! /usr/bin/python3 -c 'import keystone.api.ec2tokens, keystoneclient.contrib.ec2.utils'; then
    echo "implementations/keystone: python3-keystone is installed but /usr/bin/python3 cannot import keystone.api.ec2tokens"; exit 1
fi
# The version the README and live.txt name; warn (not fail) when apt gave another.
want=2:22.0.2-0+deb12u6
got=$(dpkg-query -W -f='${Version}' python3-keystone)
[ "$got" = "$want" ] || echo "implementations/keystone: warning: python3-keystone is $got, the adapter was checked against $want" >&2
echo "implementations/keystone: ok: python3-keystone=$got libfaketime=$(dpkg-query -W -f='${Version}' libfaketime)"
