package fr.mssante.operator.server.wiring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.james.core.Domain;
import org.apache.james.core.Username;
import org.apache.james.rrt.api.RecipientRewriteTable;
import org.apache.james.rrt.api.RecipientRewriteTableException;
import org.apache.james.rrt.lib.Mapping;
import org.apache.james.rrt.lib.MappingSource;
import org.apache.james.rrt.lib.Mappings;
import org.apache.james.rrt.lib.MappingsImpl;
import org.apache.james.user.api.UsersRepository;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/**
 * The two lookups James makes for every recipient of every message — does the user exist, what are its rewrites —
 * remembered for a while, forgotten at once by a change made through this node; "unknown user" never remembered.
 */
class CachedLookupsTest {
    private static final Username BRUNO = Username.of("bruno@ours.test");
    private static final Domain OURS = Domain.of("ours.test");

    private final AtomicLong clock = new AtomicLong(1_000_000_000L);
    private final Set<Username> users = ConcurrentHashMap.newKeySet();
    private final Map<String, Mappings> rewrites = new ConcurrentHashMap<>();
    private final AtomicInteger userReads = new AtomicInteger();
    private final AtomicInteger rewriteReads = new AtomicInteger();
    private final CachedUsersRepository cachedUsers = new CachedUsersRepository(fakeUsers(), clock::get);
    private final CachedRecipientRewriteTable cachedRewrites = new CachedRecipientRewriteTable(fakeRewrites(), clock::get);

    @Test
    void anExistingUserIsRememberedForTheTtlThenAskedAgain() throws Exception {
        users.add(BRUNO);

        assertThat(cachedUsers.contains(BRUNO)).isTrue();
        assertThat(cachedUsers.contains(BRUNO)).isTrue();
        assertThat(Mono.from(cachedUsers.containsReactive(BRUNO)).block()).isTrue();
        assertThat(userReads).hasValue(1);

        clock.addAndGet(CachedUsersRepository.TTL.toNanos());
        assertThat(cachedUsers.contains(BRUNO)).isTrue();
        assertThat(userReads).hasValue(2);
    }

    @Test
    void anUnknownUserIsNeverRememberedSoThatAMailboxCreatedElsewhereIsNotRefused() throws Exception {
        assertThat(cachedUsers.contains(BRUNO)).isFalse();
        users.add(BRUNO); // created on another node, straight into the shared database

        assertThat(cachedUsers.contains(BRUNO)).isTrue();
        assertThat(Mono.from(cachedUsers.containsReactive(Username.of("nobody@ours.test"))).block()).isFalse();
        assertThat(Mono.from(cachedUsers.containsReactive(Username.of("nobody@ours.test"))).block()).isFalse();
        assertThat(userReads).hasValue(4);
    }

    @Test
    void aUserRemovedThroughThisNodeIsUnknownAtOnce() throws Exception {
        users.add(BRUNO);
        assertThat(cachedUsers.contains(BRUNO)).isTrue();

        cachedUsers.removeUser(BRUNO);

        assertThat(cachedUsers.contains(BRUNO)).isFalse();
        assertThat(Mono.from(cachedUsers.containsReactive(BRUNO)).block()).isFalse();
    }

    @Test
    void aReadOverlappingAChangeIsNotKeptAndARemovalAfterItForgetsIt() throws Exception {
        users.add(BRUNO);
        Mono<Boolean> read = Mono.from(cachedUsers.containsReactive(BRUNO));
        RememberedAnswers<String, Boolean> answers = new RememberedAnswers<>(CachedUsersRepository.TTL, clock::get, b -> true);
        RememberedAnswers<String, Boolean>.Reading reading = answers.startReading();
        answers.forgetAll();
        reading.keep("bruno", true);
        assertThat(answers.fresh("bruno")).isEmpty();

        assertThat(read.block()).isTrue();
        cachedUsers.removeUser(BRUNO); // after the read: forgets it
        assertThat(cachedUsers.contains(BRUNO)).isFalse();
    }

    @Test
    void resolvedRewritesAreRememberedAndForgottenAtOnceByAChange() throws Exception {
        assertThat(cachedRewrites.getResolvedMappings("bruno", OURS)).isEqualTo(MappingsImpl.empty());
        assertThat(cachedRewrites.getResolvedMappings("bruno", OURS)).isEqualTo(MappingsImpl.empty());
        assertThat(rewriteReads).hasValue(1);

        cachedRewrites.addAliasMapping(MappingSource.fromUser("bruno", OURS), "bruno.durand@ours.test");

        assertThat(cachedRewrites.getResolvedMappings("bruno", OURS).asStream().map(Mapping::asString))
            .containsExactly("alias:bruno.durand@ours.test");
        assertThat(rewriteReads).hasValue(2);

        clock.addAndGet(CachedRecipientRewriteTable.TTL.toNanos());
        cachedRewrites.getResolvedMappings("bruno", OURS);
        assertThat(rewriteReads).hasValue(3);
    }

    @Test
    void aFailedRewriteLookupIsNotRemembered() throws Exception {
        rewrites.put("broken", MappingsImpl.empty());
        assertThatThrownBy(() -> cachedRewrites.getResolvedMappings("broken", OURS))
            .isInstanceOf(RecipientRewriteTableException.class);
        assertThatThrownBy(() -> cachedRewrites.getResolvedMappings("broken", OURS))
            .isInstanceOf(RecipientRewriteTableException.class);
        assertThat(rewriteReads).hasValue(2);
    }

    private UsersRepository fakeUsers() {
        InvocationHandler handler = (proxy, method, args) -> switch (method.getName()) {
            case "contains" -> {
                userReads.incrementAndGet();
                yield users.contains((Username) args[0]);
            }
            case "containsReactive" -> Mono.fromCallable(() -> {
                userReads.incrementAndGet();
                return users.contains((Username) args[0]);
            });
            case "removeUser" -> {
                users.remove((Username) args[0]);
                yield null;
            }
            default -> throw new UnsupportedOperationException(method.getName());
        };
        return (UsersRepository) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {UsersRepository.class}, handler);
    }

    private RecipientRewriteTable fakeRewrites() {
        InvocationHandler handler = (proxy, method, args) -> switch (method.getName()) {
            case "getResolvedMappings" -> {
                rewriteReads.incrementAndGet();
                if ("broken".equals(args[0])) {
                    throw new RecipientRewriteTableException("database unavailable");
                }
                yield rewrites.getOrDefault((String) args[0], MappingsImpl.empty());
            }
            case "addAliasMapping" -> {
                rewrites.put(((MappingSource) args[0]).getFixedUser(), MappingsImpl.fromMappings(Mapping.alias((String) args[1])));
                yield null;
            }
            default -> throw new UnsupportedOperationException(method.getName());
        };
        return (RecipientRewriteTable) Proxy.newProxyInstance(getClass().getClassLoader(),
            new Class<?>[] {RecipientRewriteTable.class}, handler);
    }
}
