# Sourced by scripts/app and scripts/test: the Debian packages they need, then .venv.
# Debian's and Ubuntu's own Python refuse `pip install` outside a virtual environment
# (PEP 668), so everything goes into .venv at the project root, made here when missing.

# Install the given Debian packages through apt-get (with sudo when not root); none: no-op.
apt_install() {
  [ $# -gt 0 ] || return 0
  local sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo"
  echo "Installing with apt-get: $*" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$@" >/dev/null
}

# The Debian packages a virtual environment needs that are missing (python3-venv).
venv_packages() {
  command -v python3 >/dev/null || { echo python3 python3-venv; return; }
  python3 -c "import ensurepip, venv" 2>/dev/null || echo python3-venv
}

# Make .venv with python3 (>= 3.11) unless it is there, then install "$1" into it.
venv_install() {
  python3 -c "import sys; sys.exit(sys.version_info < (3, 11))" || {
    echo "tinnhiem cần Python 3.11 trở lên; máy này có $(python3 --version)." >&2
    exit 2
  }
  [ -x .venv/bin/python ] || python3 -m venv .venv
  .venv/bin/python -m pip --version >/dev/null 2>&1 || .venv/bin/python -m ensurepip -q
  .venv/bin/python -m pip install -q --disable-pip-version-check -e "$1"
}
