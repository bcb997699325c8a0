#!/bin/bash
# A headless GNOME Wayland session for one test, run inside dbus-run-session: PipeWire and WirePlumber, mutter
# with one 1280x720 virtual monitor (and Xwayland for X11 clients), and GNOME's desktop portal, which D-Bus
# starts when a client first asks for it. Writes what the session's clients need to $1/session.env (the file
# appears whole, once everything is up) and stays until it is killed.
set -u
out="$1"
export XDG_CURRENT_DESKTOP=GNOME XDG_SESSION_TYPE=wayland
pipewire >"$out/pipewire.log" 2>&1 &
for _ in $(seq 50); do [ -S "$XDG_RUNTIME_DIR/pipewire-0" ] && break; sleep 0.1; done
wireplumber >"$out/wireplumber.log" 2>&1 &
mutter --headless --wayland --wayland-display="parley-wayland-$$" --virtual-monitor 1280x720 -- \
    sh -c 'env | grep -E "^(DISPLAY|WAYLAND_DISPLAY|XAUTHORITY|DBUS_SESSION_BUS_ADDRESS)=" > "$0.part" \
        && dbus-update-activation-environment --all && mv "$0.part" "$0" && exec sleep infinity' \
    "$out/session.env" >"$out/mutter.log" 2>&1 &
wait
