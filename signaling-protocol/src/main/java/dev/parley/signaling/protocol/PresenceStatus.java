package dev.parley.signaling.protocol;

import com.google.gson.annotations.SerializedName;

/** A user's availability. */
public enum PresenceStatus {
    @SerializedName("online")
    ONLINE,
    @SerializedName("away")
    AWAY,
    @SerializedName("offline")
    OFFLINE
}
