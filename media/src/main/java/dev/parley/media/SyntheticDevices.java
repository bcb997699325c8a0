package dev.parley.media;

import dev.onvoid.webrtc.media.video.VideoDevice;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Cameras a test plugs in and pulls out. Each is a {@link SyntheticVideoSource} whose frame counter starts at the
 * number given when it was plugged in, so the frames that arrive say which camera sent them. Pulling a camera out
 * freezes the sources opened on it (no more frames, as a real camera) and tells the watchers, on a thread of its
 * own as the native device watcher does. No microphones or speakers.
 */
public final class SyntheticDevices implements DeviceSource {
    /** A camera of this set, named as the test named it. */
    public static final class Camera extends VideoDevice {
        Camera(String name) {
            super(name, "synthetic:" + name);
        }
    }

    private final Map<String, Long> cameras = new LinkedHashMap<>();
    private final Map<String, List<SyntheticVideoSource>> opened = new LinkedHashMap<>();
    private final List<Runnable> watchers = new CopyOnWriteArrayList<>();

    /** Plugs in a camera whose frames count from {@code firstFrame}. */
    public void plug(String name, long firstFrame) {
        synchronized (this) {
            cameras.put(name, firstFrame);
        }
        changed();
    }

    /** Pulls a camera out: its open sources stop sending frames. */
    public void unplug(String name) {
        synchronized (this) {
            cameras.remove(name);
            opened.getOrDefault(name, List.of()).forEach(SyntheticVideoSource::freeze);
        }
        changed();
    }

    @Override
    public synchronized Devices probe(Duration timeout) {
        List<VideoDevice> list = new ArrayList<>();
        cameras.keySet().forEach(name -> list.add(new Camera(name)));
        return new Devices(list, List.of(), List.of(), false);
    }

    @Override
    public AutoCloseable watch(Runnable onChange) {
        watchers.add(onChange);
        return () -> watchers.remove(onChange);
    }

    @Override
    public synchronized VideoSource openCamera(VideoDevice camera, int width, int height, int fps) {
        Long first = cameras.get(camera.getName());
        if (first == null) {
            throw new IllegalStateException("no camera " + camera.getName());
        }
        SyntheticVideoSource source = new SyntheticVideoSource(width, height, fps, first);
        opened.computeIfAbsent(camera.getName(), n -> new ArrayList<>()).add(source);
        return source;
    }

    private void changed() {
        Thread t = new Thread(() -> watchers.forEach(Runnable::run), "synthetic-device-watch");
        t.setDaemon(true);
        t.start();
    }
}
