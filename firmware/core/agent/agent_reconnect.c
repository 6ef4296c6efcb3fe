/* When and where to connect next (docs/protocol.md §7.4, §8.6): exponential
 * backoff from 1 s to 5 min with ±20 % jitter, reset by a session that stayed
 * established for a minute; the gateway's retryAfterMs overrides it; a Bye with
 * an endpoint moves the device at once, and 3 failed attempts there send it
 * back to its provisioned gateway. */
#include <string.h>

#include "agent/agent_internal.h"

uint32_t agent_jitter(wb_agent *a, uint32_t value, bool up_only)
{
    uint64_t span = (uint64_t)value * WB_AGENT_JITTER_PERCENT / 100u;
    if (span == 0) return value;
    uint64_t r = a->cfg.hooks.random_u32(a->cfg.hooks.ctx);
    uint64_t v;
    if (up_only) v = (uint64_t)value + r % (span + 1);
    else v = (uint64_t)value - span + r % (2 * span + 1);
    return v > UINT32_MAX ? UINT32_MAX : (uint32_t)v;
}

static uint32_t backoff_delay(wb_agent *a)
{
    uint64_t base = WB_AGENT_BACKOFF_INITIAL_MS;
    for (uint32_t i = 0; i < a->backoff_attempt && base < WB_AGENT_BACKOFF_MAX_MS; i++) base *= 2;
    if (base > WB_AGENT_BACKOFF_MAX_MS) base = WB_AGENT_BACKOFF_MAX_MS;
    if (a->backoff_attempt < UINT32_MAX) a->backoff_attempt++;
    return agent_jitter(a, (uint32_t)base, false);
}

static void attempt_ended(wb_agent *a, bool established)
{
    if (!a->has_preferred) return;
    a->preferred_failures = established ? 0 : a->preferred_failures + 1;
    if (a->preferred_failures >= WB_AGENT_REDIRECT_ATTEMPTS) {
        a->has_preferred = false;
        a->preferred_failures = 0;
    }
}

static void redirect(wb_agent *a, const char *endpoint)
{
    /* The codec checked the syntax; an endpoint equal to the provisioned one just ends a redirect. */
    a->preferred_failures = 0;
    a->has_preferred = strcmp(endpoint, a->cfg.endpoint) != 0;
    if (a->has_preferred) memcpy(a->preferred, endpoint, strlen(endpoint) + 1);
}

uint32_t agent_next_delay(wb_agent *a, uint64_t now)
{
    const wb_agent_end *end = &a->end;
    attempt_ended(a, end->was_established);
    if (end->kind == WB_AGENT_END_REJECTED) {
        /* §6.1: never sooner than the maximum backoff. */
        return agent_jitter(a, WB_AGENT_BACKOFF_MAX_MS, true);
    }
    if (end->was_established && now - a->established_at >= WB_AGENT_BACKOFF_RESET_MS) a->backoff_attempt = 0;
    if (end->redirected) {
        redirect(a, end->endpoint);
        /* At once, and not a failure; or when the gateway said. */
        return end->has_retry_after ? agent_jitter(a, end->retry_after_ms, true) : 0;
    }
    if (end->has_retry_after) return agent_jitter(a, end->retry_after_ms, true);
    return backoff_delay(a);
}

const char *wb_agent_endpoint(const wb_agent *a)
{
    return a->has_preferred ? a->preferred : a->cfg.endpoint;
}
