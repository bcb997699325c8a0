"""Answers GNOME's "Screen Share" dialog as a user would, through its accessibility tree (AT-SPI).

Usage: screen-share-dialog.py share|cancel SECONDS. Waits up to SECONDS for the dialog; "share" picks the first
monitor (with "Remember this selection" left ticked) and presses Share, "cancel" presses Cancel. Exit 0 once done,
1 if no dialog came.
"""
import sys
import time

import pyatspi


def find(node, wanted, depth=0):
    if node is None or depth > 24:
        return None
    try:
        if wanted(node):
            return node
    except Exception:  # a node that went away while we looked
        return None
    for child in node:
        found = find(child, wanted, depth + 1)
        if found is not None:
            return found
    return None


def button(dialog, label):
    return find(dialog, lambda n: n.getRoleName() == "push button" and n.name.replace("_", "").startswith(label))


def main():
    choice, seconds = sys.argv[1], float(sys.argv[2])
    deadline = time.time() + seconds
    while time.time() < deadline:
        dialog = find(pyatspi.Registry.getDesktop(0),
                      lambda n: n.getRoleName() == "frame" and n.name == "Screen Share")
        if dialog is not None:
            if choice == "share":
                find(dialog, lambda n: n.getRoleName() == "list").querySelection().selectChild(0)
                time.sleep(0.3)  # the Share button becomes sensitive once a monitor is chosen
                button(dialog, "Share").queryAction().doAction(0)
            else:
                button(dialog, "Cancel").queryAction().doAction(0)
            print("dialog answered: " + choice, flush=True)
            return 0
        time.sleep(0.3)
    print("no Screen Share dialog within %.0f s" % seconds, flush=True)
    return 1


if __name__ == "__main__":
    sys.exit(main())
