/* Shared between the agent's files: the output side (agent_output.c), the
 * session (agent.c), deployments (agent_deploy.c), apps and runs
 * (agent_apps.c) and reconnecting (agent_reconnect.c). */
#ifndef WB_AGENT_INTERNAL_H
#define WB_AGENT_INTERNAL_H

#include "agent/agent.h"
#include "proto/fields.h"
#include "proto/messages.h"

enum { SLOT_FREE, SLOT_PARTIAL, SLOT_VERIFIED };

/* ---- text ---- */

/* Longest prefix of s, at most max bytes, that does not split a UTF-8 sequence. */
size_t agent_utf8_prefix(const uint8_t *s, size_t len, size_t max);
/* Copies text from outside (runtime, peer) into dst as valid UTF-8 of at most
 * cap - 1 bytes, NUL-terminated: cut at a sequence boundary, and invalid input
 * replaced by '?' byte for byte. Returns the length. */
size_t agent_copy_text(char *dst, size_t cap, const uint8_t *src, size_t len);
wb_slice agent_cstr(const char *s);
bool agent_slice_eq(wb_slice a, const char *s, size_t len);

/* ---- output (agent_output.c) ---- */

/* Sends m with the next msgId. A message that does not fit ends the session
 * (WB_AGENT_END_INTERNAL) unless `optional`. Returns its msgId, 0 if not sent. */
uint32_t agent_send(wb_agent *a, wb_message *m, bool optional);
uint32_t agent_tx_free(const wb_agent *a);
void agent_send_hello(wb_agent *a);
bool agent_send_heartbeat(wb_agent *a, uint64_t now);
void agent_send_error(wb_agent *a, const char *code, const char *message, bool fatal, uint32_t correlation_id);
void agent_send_deploy_result(wb_agent *a, uint32_t deploy_msg_id, wb_slice app_id, uint32_t revision,
                              const uint8_t *sha256, const char *code, const char *message);
void agent_send_app_status(wb_agent *a, const wb_agent_app *app);
/* Fills out[] with the summaries of every app record; returns how many. */
uint32_t agent_app_summaries(const wb_agent *a, wb_app_summary *out);
/* Worst-case Hello size with a full app table, for the init check. */
size_t agent_hello_worst_case(wb_agent *a);

/* ---- session (agent.c) ---- */

/* Ends the session from the device side: CLOSING, the reason recorded. */
void agent_end(wb_agent *a, wb_agent_end_kind kind, const char *code, size_t code_len);
/* A fatal protocol violation by the gateway: fatal Error, then CLOSING. */
void agent_violation(wb_agent *a, const char *code, const char *message, uint32_t correlation_id);
bool agent_established(const wb_agent *a);
/* WB_AGENT_OUTPUT / WB_AGENT_CLOSE as they stand. */
unsigned agent_actions(const wb_agent *a);

/* ---- deployments (agent_deploy.c) ---- */

void agent_on_deploy(wb_agent *a, const wb_message *m, uint64_t now);
void agent_on_chunk(wb_agent *a, const wb_message *m, uint64_t now);
/* An Error whose correlationId is the outstanding ModuleRequest ends the transfer. */
void agent_on_request_error(wb_agent *a, const wb_error_msg *e);
void agent_transfer_tick(wb_agent *a, uint64_t now);
void agent_cancel_transfer(wb_agent *a, const char *app_id, size_t len);
void agent_slot_free(wb_agent *a, int slot);
const uint8_t *agent_slot_module(const wb_agent *a, int slot);
/* Decodes a verified slot's manifest into the agent's arena. */
bool agent_slot_manifest(wb_agent *a, int slot, wb_manifest *out);

/* ---- apps and runs (agent_apps.c) ---- */

wb_agent_app *agent_app_find(wb_agent *a, const uint8_t *app_id, size_t len);
bool agent_app_active(const wb_agent_app *app);
/* Why appId cannot be admitted with this memory limit (NULL if it can). */
const char *agent_admit(wb_agent *a, const uint8_t *app_id, size_t len, uint32_t memory_limit, const char **code);
/* A verified module in `slot` becomes appId's: the old one is kept until it runs. */
void agent_install(wb_agent *a, const uint8_t *app_id, size_t len, int slot, uint32_t deploy_msg_id, uint64_t now);
/* Deploy of exactly what this app is already installing (same revision and module). */
bool agent_attach_trial(wb_agent *a, wb_agent_app *app, uint32_t revision, const uint8_t *sha256, uint32_t deploy_msg_id);
/* Stop: ends the app's run, frees its modules, state stopped. false if unknown. */
bool agent_stop_app(wb_agent *a, const uint8_t *app_id, size_t len);
void agent_stop_all(wb_agent *a);
void agent_apps_tick(wb_agent *a, uint64_t now);
uint64_t agent_apps_next_wakeup(const wb_agent *a);
uint64_t agent_free_memory(const wb_agent *a);
/* Frees the module of the oldest app that has ended and will not restart; -1 if none. */
int agent_reclaim_slot(wb_agent *a);

/* ---- reconnecting (agent_reconnect.c) ---- */

/* value ± WB_AGENT_JITTER_PERCENT (or only + when `up_only`). */
uint32_t agent_jitter(wb_agent *a, uint32_t value, bool up_only);
uint32_t agent_next_delay(wb_agent *a, uint64_t now);

#endif
