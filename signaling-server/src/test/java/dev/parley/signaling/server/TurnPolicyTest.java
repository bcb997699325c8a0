package dev.parley.signaling.server;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;

/**
 * Who gets TURN credentials (a relay that costs the operator bandwidth): not a stranger whom an open server let in
 * without any secret. The attempts are made up; no traffic goes to 192.0.2.7 (TEST-NET-1).
 */
class TurnPolicyTest {
    private static final InetAddress STRANGER = address("192.0.2.7");
    private static final InetAddress THIS_MACHINE = address("127.0.0.1");

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal); // a literal: no lookup
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    private static Authenticator.Attempt signedIn(InetAddress from, String password) {
        return new Authenticator.Attempt("zoe", password, "zoes-device", from);
    }

    @Test
    void anOpenServerGivesNoTurnCredentialsToAStrangerFromTheNetwork() {
        TurnPolicy policy = new TurnPolicy(Authenticator.open(), false);
        assertFalse(policy.allows(signedIn(STRANGER, null)));
        assertFalse(policy.allows(signedIn(STRANGER, "anything")), "a password an open server ignores proves nothing");
        assertFalse(
                new TurnPolicy(Authenticator.open().withNameClaims(NameClaims.inMemory()), false)
                        .allows(signedIn(STRANGER, null)),
                "a name claimed by a device is no secret either");
    }

    @Test
    void anOpenServerGivesThemToThisMachine() {
        assertTrue(new TurnPolicy(Authenticator.open(), false).allows(signedIn(THIS_MACHINE, null)));
    }

    @Test
    void aClientThatGaveASecretGetsThem() {
        assertTrue(new TurnPolicy(Authenticator.secret("join-code", "join code"), false)
                .allows(signedIn(STRANGER, "join-code")));
        Authenticator lan =
                Authenticator.byOrigin(Authenticator.open(), Authenticator.secret("join-code", "join code"));
        assertTrue(new TurnPolicy(lan, false).allows(signedIn(STRANGER, "join-code")));
        assertTrue(new TurnPolicy(
                        new Authenticator() {
                            @Override
                            public boolean authenticate(Attempt attempt) {
                                return "pw".equals(attempt.password()); // an accounts file, in short
                            }

                            @Override
                            public String describe() {
                                return "one password";
                            }
                        },
                        false)
                .allows(signedIn(STRANGER, "pw")));
    }

    @Test
    void theOperatorMayGiveThemToEveryone() {
        assertTrue(new TurnPolicy(Authenticator.open(), true).allows(signedIn(STRANGER, null)));
    }
}
