/* The device agent: the protocol session a device runs over an established byte
 * stream (docs/protocol.md §7), as a "sans-io" state machine. It performs no I/O
 * and reads no clock: the board glue feeds it received bytes and the current
 * time, takes the bytes it wants sent, closes the connection when told, and runs
 * apps through the hooks below. The same code therefore runs on the boards and,
 * under ASan/UBSan, in the host tests.
 *
 *   wb_agent_init(&agent, &config);
 *   loop:
 *     connect to wb_agent_endpoint()          (TLS, by the glue)
 *     wb_agent_on_connected(now)              queues Hello
 *     while connected:
 *       actions = wb_agent_on_bytes(buf, len, &used, now) / wb_agent_tick(now)
 *       send wb_agent_take_output(...)        whenever WB_AGENT_OUTPUT
 *       close after sending                   on WB_AGENT_CLOSE
 *     delay = wb_agent_on_disconnected(now)   (also after a failed connect)
 *     wait delay ms (apps keep running; keep calling wb_agent_tick)
 *
 * `now` is a monotonic millisecond clock (ms since boot), never wall time.
 * Everything here runs on one thread: the hooks are called from inside agent
 * calls and must not call back into the agent; runtime events are reported
 * with wb_agent_app_* from the same thread (e.g. the main loop or the runtime's
 * idle hook). */
#ifndef WB_AGENT_AGENT_H
#define WB_AGENT_AGENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "proto/frame.h"
#include "proto/limits.h"
#include "proto/manifest.h"
#include "proto/schema.h"

#ifndef WB_AGENT_MAX_SLOTS
#define WB_AGENT_MAX_SLOTS 4u
#endif
#ifndef WB_AGENT_MAX_APPS
#define WB_AGENT_MAX_APPS 8u /* app records: Hello and Heartbeat report at most 64 */
#endif
_Static_assert(WB_AGENT_MAX_APPS <= WB_MAX_APPS, "Hello carries at most 64 apps");
_Static_assert(WB_AGENT_MAX_SLOTS <= 127, "slot indexes are int8_t");
#define WB_AGENT_MAX_HOST_FUNCTIONS 16u
/* Stored copies of error messages (app summaries, AppStatus) are cut to this. */
#define WB_AGENT_MESSAGE_MAX 128u
/* A slot region starts with room for the manifest; the module follows. */
#define WB_AGENT_SLOT_MANIFEST_BYTES WB_MAX_MANIFEST_BYTES
/* Output room a single received frame or runtime event may need; frames are
 * only taken in while this much of the output queue is free. */
#define WB_AGENT_TX_BURST_BYTES 2048u

/* Timers (docs/protocol.md §7.4, §12). */
#define WB_AGENT_ENROLLMENT_REPLY_TIMEOUT_MS 30000u
/* The gateway holds a Pending session at most 300 s; give it some slack. */
#define WB_AGENT_PENDING_HOLD_MS 330000u
#define WB_AGENT_HEARTBEAT_MISSES 3u
#define WB_AGENT_BACKOFF_INITIAL_MS 1000u
#define WB_AGENT_BACKOFF_MAX_MS 300000u
#define WB_AGENT_BACKOFF_RESET_MS 60000u
#define WB_AGENT_JITTER_PERCENT 20u
#define WB_AGENT_REDIRECT_ATTEMPTS 3u
/* AppLog: at most 10 per second on average (§12), bursts of 20. */
#define WB_AGENT_LOG_PER_SECOND 10u
#define WB_AGENT_LOG_BURST 20u
/* App restarts (manifest `restart`): exponential from 1 s up to 30 s. */
#define WB_AGENT_RESTART_INITIAL_MS 1000u
#define WB_AGENT_RESTART_MAX_MS 30000u

/* Bits returned by the calls that advance the agent. */
#define WB_AGENT_OUTPUT 1u /* bytes wait in the output queue: wb_agent_take_output */
#define WB_AGENT_CLOSE 2u  /* send what is queued, close the connection, then wb_agent_on_disconnected */

typedef enum {
    WB_AGENT_OFFLINE,     /* no connection (before on_connected, after on_disconnected) */
    WB_AGENT_ENROLLING,   /* Hello sent, waiting for Welcome / EnrollmentPending / Rejected */
    WB_AGENT_PENDING,     /* EnrollmentPending: waiting for approval */
    WB_AGENT_ESTABLISHED, /* Welcome: heartbeats, deployments */
    WB_AGENT_CLOSING,     /* the session ended; the connection must be closed */
} wb_agent_phase;

/* Why the last session (or connection attempt) ended. */
typedef enum {
    WB_AGENT_END_NONE,
    WB_AGENT_END_CONNECT_FAILED,  /* on_disconnected without on_connected: no session */
    WB_AGENT_END_TRANSPORT,       /* the connection was lost or closed by the peer */
    WB_AGENT_END_REJECTED,        /* Rejected (code) */
    WB_AGENT_END_BYE,             /* Bye (code = reason) */
    WB_AGENT_END_PEER_ERROR,      /* the gateway sent a fatal Error (code) */
    WB_AGENT_END_PROTOCOL_ERROR,  /* the device found a violation and sent a fatal Error (code) */
    WB_AGENT_END_REPLY_TIMEOUT,   /* no answer to Hello within 30 s */
    WB_AGENT_END_PENDING_TIMEOUT, /* Pending longer than the gateway may hold it */
    WB_AGENT_END_ACK_TIMEOUT,     /* 3 × heartbeatIntervalMs without HeartbeatAck */
    WB_AGENT_END_MSG_ID_EXHAUSTED,
    /* A message the device must send could not be encoded: the output queue
     * was full (code "output_full") or the message invalid ("encode_failed"). */
    WB_AGENT_END_INTERNAL,
} wb_agent_end_kind;

typedef struct {
    wb_agent_end_kind kind;
    char code[WB_MAX_CODE_BYTES + 1]; /* Rejected code, Bye reason or Error code; "" otherwise */
    bool has_retry_after;             /* Bye retryAfterMs, or EnrollmentPending's when the session ended pending */
    uint32_t retry_after_ms;
    bool redirected;                  /* a Bye moved the device: `endpoint` is where it dials next */
    char endpoint[WB_MAX_ENDPOINT_BYTES + 1];
    bool was_established;
} wb_agent_end;

/* How a run ended, as the runtime reports it (firmware/runtime's wb_app_reason). */
typedef enum {
    WB_AGENT_EXIT_RETURNED,       /* the entry point returned: stopped */
    WB_AGENT_EXIT_STOP_REQUESTED, /* stopped by someone other than the agent */
    WB_AGENT_EXIT_TRAP,
    WB_AGENT_EXIT_CPU_TIME_LIMIT,
    WB_AGENT_EXIT_MEMORY_LIMIT,
    WB_AGENT_EXIT_INVALID_MODULE,
    WB_AGENT_EXIT_MISSING_HOST_FUNCTION,
    WB_AGENT_EXIT_NO_MEMORY,
    WB_AGENT_EXIT_INTERNAL,
} wb_agent_exit;

/* What a failed start reports; NUL-terminated. `code` is a protocol error-info
 * code (§9, e.g. "instantiate_failed"); anything else is sent as "internal". */
typedef struct {
    char code[WB_MAX_CODE_BYTES + 1];
    char message[WB_AGENT_MESSAGE_MAX];
} wb_agent_error;

/* One run to start. Pointers are valid during the start call; `module` and
 * `manifest` stay valid (and unchanged) until the run is stopped or ends.
 * `module` is the verified copy: a runtime that rewrites its input (WAMR's
 * loader does) must run a copy of it. */
typedef struct {
    uint32_t run_id; /* names the run in wb_agent_app_* events and the stop hook */
    wb_slice app_id;
    uint32_t revision;
    uint32_t restarts; /* runs of this deployment before this one */
    const uint8_t *module;
    uint32_t module_len;
    const uint8_t *sha256; /* of module, verified */
    const uint8_t *manifest;
    uint32_t manifest_len;
    const wb_manifest *decoded; /* only during the call: decode `manifest` again to keep it */
} wb_agent_run;

typedef struct {
    void *ctx;
    /* Starts a run (load checks, instantiate, then the entry point, possibly
     * later from the main loop). false: it cannot start; fill `error`. Report
     * its progress with wb_agent_app_running / wb_agent_app_ended. */
    bool (*start)(void *ctx, const wb_agent_run *run, wb_agent_error *error);
    /* Ends a run the agent no longer wants; the agent forgets it at once and
     * ignores later events of this run_id. */
    void (*stop)(void *ctx, uint32_t run_id);
    /* Required: reconnect and restart jitter. */
    uint32_t (*random_u32)(void *ctx);
    /* Optional: writes into a slot region (flash programming); NULL = memcpy.
     * The agent writes the manifest at offset 0 on each Deploy and module bytes
     * at WB_AGENT_SLOT_MANIFEST_BYTES + their offset, in increasing order. */
    bool (*store_write)(void *ctx, uint8_t slot, uint32_t offset, const uint8_t *data, uint32_t len);
} wb_agent_hooks;

/* Storage for one module and its manifest, readable as memory. */
typedef struct {
    uint8_t *base;
    uint32_t size; /* > WB_AGENT_SLOT_MANIFEST_BYTES */
} wb_agent_slot_region;

typedef struct {
    /* Hello (short texts, 1-128 bytes). */
    const char *firmware;
    const char *board;
    const char *arch;
    const char *runtime_name;
    const char *runtime_version;
    uint64_t ram_bytes;
    /* Memory the memory limits of active apps must fit in; 0 = ram_bytes. */
    uint64_t app_ram_bytes;
    uint32_t max_instances; /* ≤ WB_AGENT_MAX_APPS */
    /* Announced maxModuleBytes; 0 = the smallest slot's module room. */
    uint32_t max_module_bytes;
    /* Qualified host functions the runtime offers ("wasmbed.log"), no repeats. */
    const char *const *host_functions;
    uint32_t host_function_count;
    /* Publisher keys to trust; none = any publisher (the gateway filters). */
    const uint8_t (*trusted_keys)[32];
    uint32_t trusted_key_count;
    /* Announce "redirect" and follow a Bye's endpoint (§8.6). */
    bool follow_redirects;
    /* The provisioned gateway, "host:port". */
    const char *endpoint;
    /* Receive buffer: its size is the announced maxFrameBytes (≥ 4096). */
    uint8_t *rx_buf;
    uint32_t rx_cap;
    /* Output queue; must hold a Hello with WB_AGENT_MAX_APPS apps plus
     * WB_AGENT_TX_BURST_BYTES (wb_agent_init says how much is missing). */
    uint8_t *tx_buf;
    uint32_t tx_cap;
    wb_agent_slot_region slots[WB_AGENT_MAX_SLOTS];
    uint32_t slot_count; /* ≥ 1 */
    wb_agent_hooks hooks;
} wb_agent_config;

/* ---- state (read through the accessors; the fields are the agent's) ---- */

typedef struct {
    uint8_t state; /* free, partial (kept for resuming), verified */
    uint8_t sha256[32];
    uint32_t size;     /* manifest sizeBytes */
    uint32_t received; /* module bytes held: [0, received) */
    uint32_t manifest_len;
    uint32_t revision;
    uint32_t memory_limit;
    bool auto_restart;
    uint32_t max_restarts;
    uint32_t stamp; /* last use, to evict the oldest partial */
} wb_agent_slot;

typedef struct {
    bool used;
    uint8_t app_id_len;
    char app_id[WB_MAX_ID_BYTES];
    uint32_t revision;
    uint8_t sha256[32];
    uint8_t state; /* wb_app_state */
    uint32_t restarts;
    bool has_error;
    char error_code[WB_MAX_CODE_BYTES + 1];
    char error_message[WB_AGENT_MESSAGE_MAX];
    int8_t slot;      /* its verified module, -1 none */
    uint32_t run_id;  /* 0: no run */
    bool ran;         /* the current run reached its entry point */
    uint64_t run_started_at;
    uint64_t restart_at; /* 0: no restart scheduled */
    uint32_t restart_attempt;
    uint32_t stamp;
    /* Install on trial: the new module runs, the old one is kept until it does. */
    bool trial;
    int8_t prev_slot;
    bool prev_active;
    uint8_t prev_state;
    uint32_t prev_restarts;
    uint32_t trial_deploy_msg_id;
    uint32_t trial_session;
} wb_agent_app;

typedef struct {
    bool active;
    uint32_t deploy_msg_id;
    uint8_t slot;
    uint8_t app_id_len;
    char app_id[WB_MAX_ID_BYTES];
    uint32_t revision;
    uint32_t request_msg_id; /* outstanding ModuleRequest, 0 none */
    uint32_t request_max;
    uint64_t request_deadline;
} wb_agent_transfer;

typedef struct {
    wb_agent_config cfg;
    wb_slice host_functions[WB_AGENT_MAX_HOST_FUNCTIONS];
    uint32_t module_room; /* maxModuleBytes announced */

    wb_agent_phase phase;
    bool connected; /* on_connected since the last on_disconnected */
    uint32_t session; /* generation, +1 per connection */
    wb_frame_rx rx;
    uint32_t tx_len;
    uint32_t last_sent;
    uint32_t last_received;
    uint32_t hello_msg_id;
    uint64_t reply_deadline; /* enrollment reply, then pending hold */
    bool pending_retry_known;
    uint32_t pending_retry_after_ms;
    uint64_t established_at;
    uint32_t heartbeat_interval;
    uint32_t heartbeat_seq;
    uint64_t next_heartbeat;
    uint64_t ack_deadline;
    char device_id[WB_MAX_ID_BYTES + 1];
    char gateway_id[WB_MAX_ID_BYTES + 1];
    wb_agent_end end;

    bool clock_synced;
    uint64_t server_time_base;
    uint64_t server_time_at;

    uint32_t backoff_attempt;
    bool has_preferred;
    char preferred[WB_MAX_ENDPOINT_BYTES + 1];
    uint32_t preferred_failures;

    uint32_t log_tokens_milli; /* token bucket, in thousandths of a line */
    uint64_t log_refill_at;
    uint32_t logs_dropped;

    wb_agent_transfer transfer;
    wb_agent_slot slots[WB_AGENT_MAX_SLOTS];
    wb_agent_app apps[WB_AGENT_MAX_APPS];
    uint32_t next_run_id;
    uint32_t stamp;
    /* Decoded manifest arrays (host functions, env, args) at their maximum. */
    uint8_t manifest_arena[(WB_MAX_HOST_FUNCTIONS + WB_MAX_CONFIG_ENTRIES) * sizeof(wb_slice) +
                           WB_MAX_CONFIG_ENTRIES * sizeof(wb_text_pair)];
    const char *problem; /* why wb_agent_init refused the configuration */
    uint32_t tx_needed;  /* smallest tx_cap for this configuration */
} wb_agent;

/* Checks the configuration and sets the agent up offline. WB_OK, or
 * WB_ERR_INVALID_ARGUMENT with the reason in wb_agent_problem(). */
wb_status wb_agent_init(wb_agent *a, const wb_agent_config *config);
const char *wb_agent_problem(const wb_agent *a);
/* The smallest tx_cap for this configuration (also after a refused init, once
 * the device description itself was valid; 0 otherwise). */
uint32_t wb_agent_tx_needed(const wb_agent *a);

/* The connection is up (TLS done): starts a session and queues Hello. */
unsigned wb_agent_on_connected(wb_agent *a, uint64_t now);

/* Received bytes. *used says how many were taken: fewer than len when the
 * output queue is too full to answer more frames — take the output, then call
 * again with the rest. */
unsigned wb_agent_on_bytes(wb_agent *a, const uint8_t *buf, size_t len, size_t *used, uint64_t now);

/* Timers: heartbeats, reply/ack/transfer timeouts, app restarts. Call at least
 * at wb_agent_next_wakeup(). */
unsigned wb_agent_tick(wb_agent *a, uint64_t now);

/* The earliest time tick has something to do (UINT64_MAX: nothing). */
uint64_t wb_agent_next_wakeup(const wb_agent *a);

/* Moves up to cap queued bytes into buf; returns how many. */
size_t wb_agent_take_output(wb_agent *a, uint8_t *buf, size_t cap);
size_t wb_agent_output_pending(const wb_agent *a);
/* The queued bytes in place (whole frames), and dropping the first n once
 * sent: the same as take_output without a second buffer. */
const uint8_t *wb_agent_output_peek(const wb_agent *a, size_t *len);
void wb_agent_output_consume(wb_agent *a, size_t n);

/* The connection is gone (or a connection attempt failed): ends the session
 * and returns how long to wait before connecting again, in ms (backoff with
 * jitter, the gateway's retryAfterMs, or 0 to follow a redirect at once). */
uint32_t wb_agent_on_disconnected(wb_agent *a, uint64_t now);

/* ---- runtime → agent ---- */

/* The run reached its entry point. */
unsigned wb_agent_app_running(wb_agent *a, uint32_t run_id, uint64_t now);
/* The run ended by itself; `message` (may be NULL) explains a failure. */
unsigned wb_agent_app_ended(wb_agent *a, uint32_t run_id, wb_agent_exit exit, const char *message, uint64_t now);
/* One log line of a run (level 0 debug … 3 error), sent as AppLog when the
 * session is established and the rate limit allows. */
unsigned wb_agent_app_log(wb_agent *a, uint32_t run_id, unsigned level, const uint8_t *text, size_t len, uint64_t now);

/* ---- accessors ---- */

wb_agent_phase wb_agent_phase_of(const wb_agent *a);
/* "host:port" to dial next: the provisioned gateway unless a Bye moved the device. */
const char *wb_agent_endpoint(const wb_agent *a);
const wb_agent_end *wb_agent_last_end(const wb_agent *a);
/* "connect_failed", "transport", "bye", "ack_timeout", … (console lines, test output). */
const char *wb_agent_end_kind_text(wb_agent_end_kind kind);
/* deviceId of the last Welcome ("" before). */
const char *wb_agent_device_id(const wb_agent *a);
/* Device time for logs: the gateway's serverTimeMs advanced by the local clock. */
uint64_t wb_agent_device_time(const wb_agent *a, uint64_t now);
/* The app record holding appId, or NULL. */
const wb_agent_app *wb_agent_find_app(const wb_agent *a, const char *app_id);

#endif
