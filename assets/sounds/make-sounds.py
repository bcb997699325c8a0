#!/usr/bin/env python3
"""Makes Parley's call sounds (16 kHz mono 16-bit WAV). Run it again after changing a tone; commit the WAVs."""
import math, struct, wave

RATE = 16000

def tone(freqs, seconds, volume=0.35, fade=0.02):
    n = int(RATE * seconds)
    out = []
    for i in range(n):
        t = i / RATE
        env = min(1.0, t / fade, (seconds - t) / fade)
        # A soft bell: each partial decays, so the ring is pleasant rather than a beep.
        v = sum(math.sin(2 * math.pi * f * t) * math.exp(-3 * t) for f in freqs) / len(freqs)
        out.append(volume * env * v)
    return out

def silence(seconds):
    return [0.0] * int(RATE * seconds)

def write(name, samples):
    with wave.open(name, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes(b"".join(struct.pack("<h", int(max(-1, min(1, s)) * 32767)) for s in samples))

# Incoming call: two rising notes twice, then a pause; played in a loop.
write("ringtone.wav", tone([659.3, 1318.5], 0.25) + tone([784.0, 1568.0], 0.35) + silence(0.15)
      + tone([659.3, 1318.5], 0.25) + tone([784.0, 1568.0], 0.35) + silence(1.6))
# Outgoing call ("calling…"): the European ringback, 425 Hz for 1 s then 4 s of silence.
write("ringback.wav", [0.3 * math.sin(2 * math.pi * 425 * i / RATE) * min(1, i / 160, (RATE - i) / 160)
                       for i in range(RATE)] + silence(4.0))
