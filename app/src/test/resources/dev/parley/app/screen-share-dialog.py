"""Answers GNOME's "Screen Share" dialog as a user would, through its accessibility tree (AT-SPI).

Usage: screen-share-dialog.py share|cancel SECONDS [THINK]. Waits up to SECONDS for the dialog, then THINK seconds
more (a user taking their time); "share" picks the first monitor (with "Remember this selection" left ticked) and
presses Share, "cancel" presses Cancel. Exit 0 once done, 1 if no dialog came.
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


def dialog_now():
    return find(pyatspi.Registry.getDesktop(0), lambda n: n.getRoleName() == "frame" and n.name == "Screen Share")


def main():
    choice, seconds = sys.argv[1], float(sys.argv[2])
    think = float(sys.argv[3]) if len(sys.argv) > 3 else 0
    deadline = time.time() + seconds
    while time.time() < deadline and dialog_now() is None:
        time.sleep(0.3)
    time.sleep(think)
    while time.time() < deadline + think:
        dialog = dialog_now()  # looked up again: the one seen before thinking may have been replaced
        monitors = dialog and find(dialog, lambda n: n.getRoleName() == "list")
        if monitors is not None:
            if choice == "share":
                monitors.querySelection().selectChild(0)
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
