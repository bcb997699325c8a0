#!/usr/bin/env bash
# Runs Parley's whole test suite on a Debian/Ubuntu machine, installing what it needs first.
# Installing needs root (CI runs as root; elsewhere sudo is used when present), and so do the system tests
# (network namespaces, the package install). Extra arguments go to Maven, e.g. one module and what it needs:
#   sudo ./scripts/test.sh -pl nat-lab -am -Dtest='dev.parley.natlab.*' -Dsurefire.failIfNoSpecifiedTests=false
# For the quick unit tests alone, as any user: mvn test (README, "Development").
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null 2>&1; then sudo "$@"; else
    echo "test.sh: need root to install: $*" >&2; exit 1; fi
}

java_major() {
  javac -version 2>&1 | sed -E 's/^javac ([0-9]+).*/\1/'
}

packages=()
if ! command -v javac >/dev/null 2>&1 || [ "$(java_major)" -lt 17 ]; then packages+=(openjdk-17-jdk-headless); fi
command -v mvn >/dev/null 2>&1 || packages+=(maven)
# AWT's X11 library (screen capture, the screen picker) is in Debian's openjdk-NN-jre, not in -jre-headless.
java_home=$(dirname "$(dirname "$(readlink -f "$(command -v java || echo /usr/bin/java)")")")
if [ ! -f "$java_home/lib/libawt_xawt.so" ]; then
  case "$java_home" in
    /usr/lib/jvm/java-*-openjdk-*) packages+=("openjdk-$(java_major)-jre") ;;
    *) echo "test.sh: $java_home has no libawt_xawt.so (AWT for X11); use a full JDK" >&2; exit 1 ;;
  esac
fi
# webrtc-java's native library links PulseAudio's client library; WebRTC tests run in network namespaces.
# (The library list is read once: "ldconfig -p | grep -q" fails at random under pipefail when grep exits early.)
libraries=$(ldconfig -p)
grep -q 'libpulse\.so\.0' <<< "$libraries" || packages+=(libpulse0)
for lib in libX11.so.6 libXfixes.so.3 libXrandr.so.2 libXcomposite.so.1 libudev.so.1; do
  grep -q "$lib" <<< "$libraries" || { packages+=(libx11-6 libxfixes3 libxrandr2 libxcomposite1 libudev1); break; }
done
# The desktop UI: JavaFX's glass needs GTK 3 (and libGL for its renderer); Java Sound plays the ringtone.
for lib in libgtk-3.so.0 libGL.so.1 libasound.so.2; do
  grep -q "$lib" <<< "$libraries" || { packages+=(libgtk-3-0 libgl1 libasound2); break; }
done
command -v ip >/dev/null 2>&1 || packages+=(iproute2)
command -v unshare >/dev/null 2>&1 || packages+=(util-linux)
command -v sysctl >/dev/null 2>&1 || packages+=(procps)          # the NAT lab's routers forward
command -v timeout >/dev/null 2>&1 || packages+=(coreutils)
command -v xvfb-run >/dev/null 2>&1 || packages+=(xvfb xauth)   # a display for screen capture tests
# A real sound system for the audio path's tests and 'bench call --audio pulse': private PulseAudio servers with
# virtual microphones and speakers (pacat, parec and pactl come with pulseaudio-utils).
command -v pulseaudio >/dev/null 2>&1 || packages+=(pulseaudio)
command -v pacat >/dev/null 2>&1 || packages+=(pulseaudio-utils)
# The NAT lab (nat-lab): routers with nftables NAT, conntrack to flush their mappings, Debian's coturn.
command -v nft >/dev/null 2>&1 || packages+=(nftables)
command -v conntrack >/dev/null 2>&1 || packages+=(conntrack)
command -v turnserver >/dev/null 2>&1 || packages+=(coturn)
# A server cluster's store (parley server --cluster): the cluster tests and 'bench signaling --nodes 2' start
# Debian's redis-server on a loopback port of their own.
command -v redis-server >/dev/null 2>&1 || packages+=(redis-server)
# Guests by link (GuestBrowserTest): Debian's own Chromium, driven headless through its chromium-driver.
command -v chromium >/dev/null 2>&1 || packages+=(chromium)
command -v chromedriver >/dev/null 2>&1 || packages+=(chromium-driver)
# Screen sharing on Wayland (WaylandScreenShareTest): a headless GNOME session of the test's own — mutter with a
# virtual monitor and Xwayland, PipeWire and WirePlumber, GNOME's screen-cast portal — whose "Screen Share" dialog
# the test answers through the accessibility bus (AT-SPI, from Python).
command -v mutter >/dev/null 2>&1 || packages+=(mutter)
command -v Xwayland >/dev/null 2>&1 || packages+=(xwayland)
command -v pipewire >/dev/null 2>&1 || packages+=(pipewire pipewire-bin)
command -v wireplumber >/dev/null 2>&1 || packages+=(wireplumber)
command -v dbus-run-session >/dev/null 2>&1 || packages+=(dbus-daemon dbus-bin)
[ -x /usr/libexec/xdg-desktop-portal ] || packages+=(xdg-desktop-portal)
[ -x /usr/libexec/xdg-desktop-portal-gnome ] || packages+=(xdg-desktop-portal-gnome)
[ -x /usr/libexec/at-spi-bus-launcher ] || packages+=(at-spi2-core)
/usr/bin/python3 -c 'import pyatspi' >/dev/null 2>&1 || packages+=(python3-pyatspi gir1.2-atspi-2.0 python3-gi)
# The installers (installers/): jpackage builds the .deb with fakeroot; jlink needs the full JDK's jmods.
command -v fakeroot >/dev/null 2>&1 || packages+=(fakeroot)
[ -d "$(dirname "$(dirname "$(readlink -f "$(command -v javac || echo /usr/bin/javac)")")")/jmods" ] || packages+=(openjdk-17-jdk-headless)
if [ ${#packages[@]} -gt 0 ]; then
  echo "test.sh: installing ${packages[*]}" >&2
  as_root apt-get update -q
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${packages[@]}"
fi

# Hundreds of WebSocket connections in one JVM: raise the open-file limit as far as allowed.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

# Parley's own artifacts never come from the local Maven repository: a fresh machine has none, and a stale copy
# there (from an old 'mvn install') would hide a module that the build no longer makes. Nothing below installs
# them, so the whole run proves that a clean clone builds and tests from nothing but Maven Central.
repo="$HOME/.m2/repository"
[[ "${MAVEN_OPTS:-}" =~ -Dmaven\.repo\.local=([^ ]+) ]] && repo="${BASH_REMATCH[1]}"
if [ -d "$repo/dev/parley" ]; then
  echo "test.sh: removing $repo/dev/parley (Parley's artifacts are built here, never taken from there)" >&2
  rm -rf "$repo/dev/parley"
fi

# Smoke first: the README's run command builds and starts here, and the benchmark runs end to end.
./parley --help >/dev/null
./parley bench signaling --clients 20 --rates 200 --seconds 1
as_root ./parley bench call --calls 2 --duration 1 --video 320x240@15   # needs root for its namespace
xvfb-run -a -s "-screen 0 1280x720x24" ./parley bench render --seconds 1 --video 640x480@30   # needs a display
xvfb-run -a -s "-screen 0 1280x720x24" ./parley bench start --runs 2

# Coverage-guided fuzzing (Jazzer) of the codec and of the server's message handling, 30 s per target; a finding
# fails the run and is saved under src/test/resources (commit it with the fix). Only on a whole run, not when
# arguments pick modules or tests.
if [ $# -eq 0 ]; then
  mvn -B -ntp -Dstyle.color=never -Pfuzz -pl signaling-server -am test
fi

# Then every test, the system tests included (-Psystem); Surefire's summary is the last thing printed.
exec mvn -B -ntp -Dstyle.color=never -Psystem verify "$@"
