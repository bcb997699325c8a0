package dev.parley.signaling.protocol;

import com.google.gson.annotations.SerializedName;

/** The kinds of media a call carries. */
public enum MediaKind {
    @SerializedName("audio")
    AUDIO,
    @SerializedName("video")
    VIDEO
}
