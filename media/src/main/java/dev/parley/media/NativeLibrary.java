package dev.parley.media;

import dev.onvoid.webrtc.media.audio.AudioDeviceModuleBase;

/**
 * Loads webrtc-java's native library. Some of its classes (MediaDevices, the buffer converter) use it without
 * loading it; a factory or audio module loads it, so touching the audio module class is enough.
 */
final class NativeLibrary {
    private NativeLibrary() {}

    static void load() {
        try {
            Class.forName(AudioDeviceModuleBase.class.getName(), true, NativeLibrary.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("webrtc-java is not on the class path", e);
        }
    }
}
