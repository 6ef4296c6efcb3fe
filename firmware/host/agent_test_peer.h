/* TEST PEER for the agent's host tests, not a gateway: it plays the gateway's
 * side of one device from a script, built from the same codec. It numbers and
 * frames what the test sends, feeds the bytes to the agent (whole or in random
 * pieces, with the agent's back-pressure), and decodes everything the agent
 * sends, checking that every frame is a valid device message with the next
 * msgId. It also stands in for the runtime (start/stop hooks, a deterministic
 * RNG) and the clock. */
#ifndef WB_HOST_AGENT_TEST_PEER_H
#define WB_HOST_AGENT_TEST_PEER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "agent/agent.h"
#include "proto/frame.h"
#include "proto/messages.h"

/* A signed manifest and its module (agent-fixtures.mjs). */
typedef struct {
    const char *app_id;
    uint32_t revision;
    const uint8_t *manifest;
    size_t manifest_len;
    const uint8_t *signature;
    const uint8_t *key;
    const uint8_t *module;
    size_t module_len;
} agent_fixture;

#define PEER_SLOT_BYTES (WB_AGENT_SLOT_MANIFEST_BYTES + 66000u)
#define PEER_MAX_RUNS 64u
#define PEER_INBOX 512u

typedef struct {
    uint32_t run_id;
    char app_id[WB_MAX_ID_BYTES + 1];
    uint32_t revision;
    uint32_t restarts;
    uint8_t sha256[32];
    uint32_t module_len;
    bool stopped; /* the agent asked for it */
    bool ended;   /* the test reported its end */
} peer_run;

typedef struct {
    bool follow_redirects;
    uint32_t tx_cap;        /* 0: 8192 */
    uint32_t slot_count;    /* 0: 3 */
    uint32_t max_instances; /* 0: 4 */
    uint64_t app_ram_bytes; /* 0: 1 MiB */
    const uint8_t (*trusted_keys)[32];
    uint32_t trusted_key_count;
    bool flash_slots; /* writes through the store_write hook */
} peer_options;

typedef struct {
    /* the device */
    wb_agent agent;
    wb_agent_config cfg;
    uint8_t rx[WB_MIN_DEVICE_FRAME_BYTES];
    uint8_t *tx;
    uint8_t *slots; /* slot_count × PEER_SLOT_BYTES */
    uint64_t now;
    unsigned actions; /* every action bit since the last connect */
    unsigned store_writes;
    /* the runtime */
    peer_run runs[PEER_MAX_RUNS];
    unsigned run_count;
    bool refuse_next_start;
    uint32_t rng;
    bool rng_fixed;
    uint32_t rng_value;
    /* the gateway side */
    uint32_t gw_msg_id;
    uint32_t dev_msg_id;
    wb_frame_rx dev_rx;
    uint8_t dev_frame[WB_GATEWAY_MAX_FRAME_BYTES];
    struct {
        uint8_t *bytes;
        uint32_t len;
    } inbox[PEER_INBOX];
    unsigned inbox_head, inbox_count;
    uint8_t *current; /* payload of the message peer_next returned last */
    uint8_t arena[4096];
    unsigned split; /* 0: frames whole; n: pieces of 1..n bytes */
    uint32_t split_rng;
    bool quiet; /* no CHECK per device frame, only counts */
    unsigned bad_device_frames;
    unsigned pumps; /* alternates take_output and peek + consume */
    /* When set, every byte fed to the agent is appended here (recording a script). */
    uint8_t *record;
    size_t record_len, record_cap;
} test_peer;

test_peer *peer_new(const peer_options *options);
void peer_free(test_peer *p);

/* on_connected: the device sends Hello (left in the inbox). */
void peer_connect(test_peer *p);
/* Welcome answering Hello `hello_msg_id` (deviceId "dev-1", serverTimeMs 1700000000000). */
void peer_welcome(test_peer *p, uint32_t hello_msg_id, uint32_t heartbeat_interval_ms);
/* connect, take Hello, send Welcome with this interval: Established. */
bool peer_establish(test_peer *p, uint32_t heartbeat_interval_ms);
/* Sends a gateway message (msgId assigned here, correlationId as set). */
void peer_send(test_peer *p, wb_message *m);
/* Raw bytes on the stream, as a broken or hostile gateway would send them. */
void peer_feed(test_peer *p, const uint8_t *bytes, size_t len);
/* Moves the device's output into the inbox. */
void peer_pump(test_peer *p);
/* The next device message (valid until the next call), false when none. */
bool peer_next(test_peer *p, wb_message *m);
/* The next device message, left in place (valid until the next peer call). */
bool peer_peek(test_peer *p, wb_message *m);
/* peer_next, checking its type. */
bool peer_expect(test_peer *p, uint32_t type, wb_message *m);
/* Forgets every device message received so far. */
void peer_discard(test_peer *p);
/* The agent starts over (a reboot of the device, its storage kept); the peer too. */
void peer_reboot(test_peer *p);
/* No device message waits. */
bool peer_quiet(test_peer *p);
/* Sets the clock and ticks. */
void peer_at(test_peer *p, uint64_t now);
uint32_t peer_disconnect(test_peer *p);
bool peer_closing(const test_peer *p);

/* Deploy of a fixture (revision as in the fixture unless `revision` ≠ 0). */
void peer_deploy(test_peer *p, const agent_fixture *f, uint32_t revision);
/* Answers ModuleRequests from the fixture's module with at most `chunk` bytes
 * each (0: as requested), serving at most `max_chunks`. Returns the chunks sent;
 * stops at the first device message that is not a ModuleRequest (left for peer_next). */
unsigned peer_serve(test_peer *p, const agent_fixture *f, uint32_t chunk, unsigned max_chunks);
/* deploy + serve everything + report the run running + DeployResult ok. */
bool peer_install(test_peer *p, const agent_fixture *f);

/* runtime side */
peer_run *peer_last_run(test_peer *p);
peer_run *peer_live_run(test_peer *p, const char *app_id);
void peer_run_running(test_peer *p, peer_run *run);
void peer_run_ended(test_peer *p, peer_run *run, wb_agent_exit exit, const char *message);

bool slice_is(wb_slice s, const char *text);
/* The tests' one PRNG (xorshift32). */
uint32_t peer_xorshift(uint32_t *state);

#endif
