/* Shapes of the generated vector data (build/host/vector_data.h). */
#ifndef WB_HOST_VECTORS_H
#define WB_HOST_VECTORS_H

#include <stddef.h>
#include <stdint.h>

typedef struct {
    const uint8_t *data;
    size_t len;
} vec_bytes;

typedef struct {
    const char *name;
    vec_bytes input;
    uint32_t max_frame_bytes;
    const vec_bytes *frames;
    size_t frame_count;
    const char *error; /* NULL: the stream ends cleanly */
} frame_vector;

typedef struct {
    const char *name;
    vec_bytes input; /* a whole frame, prefix included */
    const char *error;
    const char *path;
    vec_bytes decoded_json; /* canonical JSON of the envelope, when valid */
} message_vector;

typedef struct {
    const char *name;
    vec_bytes input;
    vec_bytes signature; /* len 0: no signature step */
    vec_bytes public_key;
    const char *error;
    vec_bytes decoded_json;
} manifest_vector;

typedef struct {
    vec_bytes data;
    vec_bytes sha256;
    vec_bytes sha512;
} hash_vector;

typedef struct {
    vec_bytes seed;
    vec_bytes public_key;
    vec_bytes message;
    vec_bytes signature;
} signature_vector;

#endif
