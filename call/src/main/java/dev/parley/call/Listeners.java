package dev.parley.call;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A list of listeners that survives a bad one: each is called in turn, and one that throws is logged and passed. */
final class Listeners<L> {
    private static final Logger log = LoggerFactory.getLogger(Listeners.class);
    private final List<L> all = new CopyOnWriteArrayList<>();
    private final String what;

    Listeners(String what) {
        this.what = what;
    }

    void add(L listener) {
        all.add(listener);
    }

    void fire(Consumer<L> call) {
        for (L l : all) {
            try {
                call.accept(l);
            } catch (RuntimeException e) {
                log.error("A {} listener failed", what, e);
            }
        }
    }
}
