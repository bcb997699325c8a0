package dev.parley.testsupport;

import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;

/**
 * A test that needs more than a JDK and Maven: root, a network namespace of its own (real WebRTC), a virtual
 * display (Xvfb), coturn, or apt. Plain {@code mvn test} leaves these out, so a developer gets the unit tests in
 * well under two minutes without root; {@code ./scripts/test.sh} (CI) runs them all with {@code -Psystem}, after
 * installing what they need. A system test that finds its tools missing fails; it never skips.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Inherited
@Tag(SystemTest.TAG)
public @interface SystemTest {
    String TAG = "system";
}
