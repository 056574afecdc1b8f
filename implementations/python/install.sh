#!/bin/sh
# Installs the Debian packages the Python adapters wrap (for /usr/bin/python3).
# Idempotent: skips apt-get entirely when every package is already installed.
set -u
PKGS="python3-botocore python3-boto python3-keystoneclient python3-cs python3-libcloud"
missing=""
for p in $PKGS; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing="$missing $p"
    fi
done
if [ -z "$missing" ]; then
    echo "implementations/python: all packages already installed:$(for p in $PKGS; do printf ' %s=%s' "$p" "$(dpkg-query -W -f='${Version}' "$p")"; done)"
else
    SUDO=""
    [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    echo "implementations/python: installing$missing"
    if ! $SUDO apt-get update; then
        echo "implementations/python: apt-get update failed" >&2; exit 1
    fi
    if ! DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y $missing; then
        echo "implementations/python: apt-get install -y$missing failed" >&2; exit 1
    fi
fi
if ! /usr/bin/python3 -c 'import botocore, boto, keystoneclient.contrib.ec2.utils, cs, libcloud' ; then
    echo "implementations/python: the packages are installed but /usr/bin/python3 cannot import them" >&2
    exit 1
fi
# The versions the README documents; warn (not fail) when apt gave others.
for pv in python3-botocore=1.29.27+repack-1 python3-boto=2.49.0-4.1 python3-keystoneclient=1:5.0.1-3 \
          python3-cs=2.7.1-2 python3-libcloud=3.4.1-5; do
    p=${pv%%=*}; want=${pv#*=}
    got=$(dpkg-query -W -f='${Version}' "$p")
    [ "$got" = "$want" ] || echo "implementations/python: warning: $p is $got, the adapters were checked against $want" >&2
done
echo "implementations/python: ok"
