package io.github.layercache.push;

import java.time.Duration;

/**
 * How pushes are tried.
 *
 * @param attempts how many times a push that failed for a transient reason is tried in all
 * @param firstRetryDelay the wait before the first retry; it doubles with each further one
 * @param timeout how long one push may take
 */
public record PushAttempts(int attempts, Duration firstRetryDelay, Duration timeout) {}
