package org.kinto4j.server.auth;

import java.util.List;
import java.util.Optional;

/**
 * {@code multiauth.policies}: the policies are tried in order and the first that accepts the
 * credentials names the user. No credentials, or a header no policy reads, is anonymous. Basic
 * credentials that every policy refused are {@link Result#REJECTED}: the caller answers 401
 * (this happens only without basicauth, which accepts any password).
 */
public final class Authenticator {

    /** The outcome for one Authorization header. */
    public record Result(String userId, boolean rejected) {
        public static final Result ANONYMOUS = new Result(null, false);
        public static final Result REJECTED = new Result(null, true);
    }

    private final List<String> policies;
    private final BasicAuth basicAuth;
    private final AccountLogins accounts;

    /** @param accounts the account policy; may be null when {@code policies} does not list it */
    public Authenticator(List<String> policies, BasicAuth basicAuth, AccountLogins accounts) {
        this.policies = List.copyOf(policies);
        this.basicAuth = basicAuth;
        this.accounts = accounts;
    }

    public Result authenticate(String authorization) {
        Optional<BasicCredentials> credentials = BasicCredentials.parse(authorization);
        for (String policy : policies) {
            Optional<String> userId = switch (policy) {
                case "account" -> credentials.flatMap(accounts::check);
                case "basicauth" -> basicAuth.userId(authorization);
                default -> Optional.empty();
            };
            if (userId.isPresent()) {
                return new Result(userId.get(), false);
            }
        }
        return credentials.isPresent() ? Result.REJECTED : Result.ANONYMOUS;
    }
}
