#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "agent_link.h"
#include "board.h"
#include "agent_tap.h"

typedef enum { LINK_WAIT, LINK_HANDSHAKE, LINK_SESSION } link_state;

static struct {
    wb_agent *agent;
    wb_tls_identity id;
    wb_agent_transport transport;
    char host[WB_MAX_ENDPOINT_BYTES + 1];
    link_state state;
    uint64_t retry_at;
    wb_gw_session tls;
    wb_agent_phase phase; /* last seen, for the milestone lines */
    uint32_t connections;
    bool polling; /* guards against re-entry from an app's host call */
} L;


static void went_offline(uint64_t now)
{
    if (L.tls.state == WB_GW_OPEN || L.tls.state == WB_GW_HANDSHAKE) wb_gw_stop(&L.tls);
    uint32_t delay = wb_agent_on_disconnected(L.agent, now);
    const wb_agent_end *end = wb_agent_last_end(L.agent);
    printf("agent: session ended: %s%s%s; next attempt in %" PRIu32 " ms at %s\n", wb_agent_end_kind_text(end->kind),
           end->code[0] != '\0' ? " " : "", end->code, delay, wb_agent_endpoint(L.agent));
    L.phase = WB_AGENT_OFFLINE;
    L.state = LINK_WAIT;
    L.retry_at = now + delay;
}

/* Sends everything queued; false when the connection broke. */
static bool flush(void)
{
    /* Sent from the queue in place: it holds whole frames, which the tap reads. */
    size_t n;
    const uint8_t *queued = wb_agent_output_peek(L.agent, &n);
    if (n == 0) return true;
    wb_agent_tap_device_frames(queued, n, board_millis());
    bool ok = wb_gw_write(&L.tls, queued, n) == 0;
    wb_agent_output_consume(L.agent, n);
    return ok;
}

/* Acts on what an agent call returned; false when the session is over. */
static bool act(unsigned actions, uint64_t now)
{
    if (((actions & WB_AGENT_OUTPUT) != 0 && !flush()) || (actions & WB_AGENT_CLOSE) != 0) {
        went_offline(now);
        return false;
    }
    return true;
}

static void report_phase(uint64_t now)
{
    wb_agent_phase phase = wb_agent_phase_of(L.agent);
    if (phase == L.phase) return;
    L.phase = phase;
    if (phase == WB_AGENT_ESTABLISHED) {
        printf("agent: welcome deviceId=%s at %" PRIu32 " ms\n", wb_agent_device_id(L.agent), (uint32_t)now);
    } else if (phase == WB_AGENT_PENDING) {
        printf("agent: enrollment pending at %" PRIu32 " ms\n", (uint32_t)now);
    }
}

static void connect_now(uint64_t now)
{
    const char *endpoint = wb_agent_endpoint(L.agent);
    if (wb_gw_endpoint_host(endpoint, L.host, sizeof L.host) != 0) {
        printf("agent: endpoint %s has no host\n", endpoint);
        went_offline(now);
        return;
    }
    L.connections++;
    printf("agent: dialing %s\n", endpoint);
    L.transport.open(L.transport.io.ctx, endpoint);
    L.id.server_name = L.host;
    wb_gw_start(&L.tls, &L.id, &L.transport.io, now);
    L.state = LINK_HANDSHAKE;
}

static void handshake(uint64_t now)
{
    wb_gw_state st = wb_gw_poll(&L.tls, now);
    if (st == WB_GW_HANDSHAKE) return;
    if (st != WB_GW_OPEN) {
        went_offline(now);
        return;
    }
    L.state = LINK_SESSION;
    act(wb_agent_on_connected(L.agent, now), now);
}

/* Feeds received plaintext until the transport has no more. */
static void receive(uint64_t now)
{
    uint8_t buf[512];
    while (L.state == LINK_SESSION) {
        int n = wb_gw_read(&L.tls, buf, sizeof buf);
        if (n == 0) return;
        if (n < 0) {
            went_offline(now);
            return;
        }
        size_t at = 0;
        while (at < (size_t)n) {
            size_t used = 0;
            unsigned actions = wb_agent_on_bytes(L.agent, buf + at, (size_t)n - at, &used, now);
            at += used;
            if (!act(actions, now)) return;
            /* Nothing taken even with the output sent: the agent is stuck (cannot happen). */
            if (used == 0 && (actions & WB_AGENT_OUTPUT) == 0) {
                act(WB_AGENT_CLOSE, now);
                return;
            }
        }
    }
}

void wb_agent_link_start(wb_agent *agent, const wb_tls_identity *credentials, const wb_agent_transport *transport,
                         uint64_t now)
{
    L.agent = agent;
    L.id = *credentials;
    L.transport = *transport;
    L.state = LINK_WAIT;
    L.retry_at = now;
    L.phase = WB_AGENT_OFFLINE;
}

void wb_agent_link_poll(uint64_t now)
{
    if (L.agent == NULL || L.polling) return;
    L.polling = true;
    if (L.state == LINK_WAIT && now >= L.retry_at) connect_now(now);
    if (L.state == LINK_HANDSHAKE) handshake(now);
    if (L.state == LINK_SESSION) receive(now);
    /* Timers run offline too: app restarts do not need a gateway. */
    unsigned actions = wb_agent_tick(L.agent, now);
    if (L.state == LINK_SESSION) {
        act(actions, now);
    } else if (actions & WB_AGENT_OUTPUT) {
        wb_agent_output_consume(L.agent, wb_agent_output_pending(L.agent)); /* nothing is sent offline */
    }
    if (L.state == LINK_SESSION) report_phase(now);
    L.polling = false;
}

void wb_agent_link_stop(uint64_t now)
{
    if (L.state != LINK_WAIT) went_offline(now);
    L.agent = NULL;
}

uint32_t wb_agent_link_connections(void)
{
    return L.connections;
}

wb_gw_state wb_agent_link_tls_state(void)
{
    return L.tls.state;
}
