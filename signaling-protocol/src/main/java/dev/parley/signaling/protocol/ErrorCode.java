package dev.parley.signaling.protocol;

import com.google.gson.annotations.SerializedName;

/** Why the server (or the codec) refused something. The wire form is the lower-case name with dashes. */
public enum ErrorCode {
    /** Not JSON, or not a JSON object. */
    @SerializedName("bad-json")
    BAD_JSON,
    /** A {@code type} this side does not know. */
    @SerializedName("unknown-type")
    UNKNOWN_TYPE,
    /** A required field is missing, or a field has the wrong type or an invalid value. */
    @SerializedName("invalid-message")
    INVALID_MESSAGE,
    /** Larger than the message size limit. */
    @SerializedName("too-large")
    TOO_LARGE,
    /** A protocol major version this side does not speak. */
    @SerializedName("unsupported-version")
    UNSUPPORTED_VERSION,
    /** Anything but hello before authentication. */
    @SerializedName("not-authenticated")
    NOT_AUTHENTICATED,
    /** Wrong user name, password or token. The connection is closed. */
    @SerializedName("auth-failed")
    AUTH_FAILED,
    /** A second hello on an authenticated connection. */
    @SerializedName("already-authenticated")
    ALREADY_AUTHENTICATED,
    /** The addressee is not signed in. */
    @SerializedName("unavailable")
    UNAVAILABLE,
    /** No such call: it never existed or has ended. */
    @SerializedName("unknown-call")
    UNKNOWN_CALL,
    /** Too many messages; this one was dropped. */
    @SerializedName("rate-limited")
    RATE_LIMITED,
    /** The sender is not a party to that call, or the call was answered on another device. */
    @SerializedName("forbidden")
    FORBIDDEN,
    /** Took too long to authenticate, or stayed silent too long. The connection is closed. */
    @SerializedName("timeout")
    TIMEOUT,
    /** The same device signed in again on a new connection; this one is closed. */
    @SerializedName("replaced")
    REPLACED,
    /** The server is shutting down. */
    @SerializedName("going-away")
    GOING_AWAY,
    /** A bug on the server; the message was not processed. */
    @SerializedName("internal")
    INTERNAL
}
