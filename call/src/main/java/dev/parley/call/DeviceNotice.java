package dev.parley.call;

/**
 * Something happened to a device the call was using, for the user to be told: the camera was pulled out and the
 * call moved to another one ({@link Kind#CAMERA_SWITCHED}, {@code now} names it), there is none left and the
 * camera is off ({@link Kind#CAMERA_GONE}; the peer sees "camera off"), or the camera could not be opened at all
 * ({@link Kind#CAMERA_UNUSABLE}: busy in another program, a broken driver; the camera is off).
 *
 * @param lost the device that went away
 * @param now  the device in use instead, or null
 */
public record DeviceNotice(Kind kind, String lost, String now) {
    public enum Kind {
        CAMERA_SWITCHED,
        CAMERA_GONE,
        CAMERA_UNUSABLE,
        /** The user chose a device the call could not switch to ({@code lost} names it). */
        SWITCH_FAILED,
        /** There is no camera: the call starts with the camera off (the peer sees "camera off"). */
        NO_CAMERA,
        /** There is no sound system: the peer hears silence and nothing is played. */
        NO_SOUND,
        /** Neither a camera nor a sound system. */
        NO_CAMERA_NO_SOUND,
        /**
         * The desktop refused to let the screen be captured, or stopped it (Wayland's dialog cancelled, or its
         * "Stop sharing"): the share ended and the peer was told. {@code lost} holds the desktop's reason.
         */
        SCREEN_REFUSED
    }
}
