/* Field arithmetic mod p = 2^255 - 19 on 16 signed 64-bit limbs of 16 bits,
 * extended twisted Edwards coordinates (X, Y, Z, T). The ladder is constant-time
 * (key derivation handles a secret); verification handles public data only. */
#include <string.h>

#include "crypto/ed25519.h"
#include "crypto/sha512.h"

typedef int64_t gf[16];

static const gf gf0 = {0};
static const gf gf1 = {1};
/* d = -121665/121666, 2d, the base point's x and y, sqrt(-1). */
static const gf D = {0x78a3, 0x1359, 0x4dca, 0x75eb, 0xd8ab, 0x4141, 0x0a4d, 0x0070,
                     0xe898, 0x7779, 0x4079, 0x8cc7, 0xfe73, 0x2b6f, 0x6cee, 0x5203};
static const gf D2 = {0xf159, 0x26b2, 0x9b94, 0xebd6, 0xb156, 0x8283, 0x149a, 0x00e0,
                      0xd130, 0xeef3, 0x80f2, 0x198e, 0xfce7, 0x56df, 0xd9dc, 0x2406};
static const gf BX = {0xd51a, 0x8f25, 0x2d60, 0xc956, 0xa7b2, 0x9525, 0xc760, 0x692c,
                      0xdc5c, 0xfdd6, 0xe231, 0xc0a4, 0x53fe, 0xcd6e, 0x36d3, 0x2169};
static const gf BY = {0x6658, 0x6666, 0x6666, 0x6666, 0x6666, 0x6666, 0x6666, 0x6666,
                      0x6666, 0x6666, 0x6666, 0x6666, 0x6666, 0x6666, 0x6666, 0x6666};
static const gf SQRTM1 = {0xa0b0, 0x4a0e, 0x1b27, 0xc4ee, 0xe478, 0xad2f, 0x1806, 0x2f43,
                          0xd7a7, 0x3dfb, 0x0099, 0x2b4d, 0xdf0b, 0x4fc1, 0x2480, 0x2b83};
/* The group order L, little-endian. */
static const uint8_t L[32] = {0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7,
                              0xa2, 0xde, 0xf9, 0xde, 0x14, 0,    0,    0,    0,    0,    0,
                              0,    0,    0,    0,    0,    0,    0,    0,    0,    0x10};

static void copy(gf o, const gf a)
{
    memcpy(o, a, sizeof(gf));
}

/* Brings limbs back to [0, 2^16) except limb 0, which may exceed it by 38 * carry. */
static void carry(gf o)
{
    for (int i = 0; i < 16; i++) {
        int64_t c = o[i] >> 16; /* arithmetic shift: floor division, also for negative limbs */
        o[i] -= c * 65536;
        if (i < 15) {
            o[i + 1] += c;
        } else {
            o[0] += 38 * c; /* 2^256 = 38 (mod p) */
        }
    }
}

/* Swaps p and q when b is 1, without branching on b. */
static void swap_if(gf p, gf q, int64_t b)
{
    int64_t mask = -b;
    for (int i = 0; i < 16; i++) {
        int64_t t = mask & (p[i] ^ q[i]);
        p[i] ^= t;
        q[i] ^= t;
    }
}

static void pack(uint8_t out[32], const gf n)
{
    gf t, m;
    copy(t, n);
    carry(t);
    carry(t);
    carry(t);
    /* Subtract p twice if that does not go negative: the unique representative. */
    for (int round = 0; round < 2; round++) {
        m[0] = t[0] - 0xffed;
        for (int i = 1; i < 15; i++) {
            m[i] = t[i] - 0xffff - ((m[i - 1] >> 16) & 1);
            m[i - 1] &= 0xffff;
        }
        m[15] = t[15] - 0x7fff - ((m[14] >> 16) & 1);
        int64_t borrow = (m[15] >> 16) & 1;
        m[14] &= 0xffff;
        swap_if(t, m, 1 - borrow);
    }
    for (int i = 0; i < 16; i++) {
        out[2 * i] = (uint8_t)(t[i] & 0xff);
        out[2 * i + 1] = (uint8_t)((t[i] >> 8) & 0xff);
    }
}

static void unpack(gf o, const uint8_t n[32])
{
    for (int i = 0; i < 16; i++) o[i] = n[2 * i] + ((int64_t)n[2 * i + 1] << 8);
    o[15] &= 0x7fff;
}

static bool equal(const gf a, const gf b)
{
    uint8_t x[32], y[32];
    pack(x, a);
    pack(y, b);
    return memcmp(x, y, 32) == 0;
}

static int parity(const gf a)
{
    uint8_t d[32];
    pack(d, a);
    return d[0] & 1;
}

static void add(gf o, const gf a, const gf b)
{
    for (int i = 0; i < 16; i++) o[i] = a[i] + b[i];
}

static void sub(gf o, const gf a, const gf b)
{
    for (int i = 0; i < 16; i++) o[i] = a[i] - b[i];
}

static void mul(gf o, const gf a, const gf b)
{
    int64_t t[31] = {0};
    for (int i = 0; i < 16; i++) {
        for (int j = 0; j < 16; j++) t[i + j] += a[i] * b[j];
    }
    for (int i = 0; i < 15; i++) t[i] += 38 * t[i + 16];
    for (int i = 0; i < 16; i++) o[i] = t[i];
    carry(o);
    carry(o);
}

static void square(gf o, const gf a)
{
    mul(o, a, a);
}

/* a^(p-2) */
static void invert(gf o, const gf a)
{
    gf c;
    copy(c, a);
    for (int i = 253; i >= 0; i--) {
        square(c, c);
        if (i != 2 && i != 4) mul(c, c, a);
    }
    copy(o, c);
}

/* a^((p-5)/8), for the square root in point decompression */
static void pow2523(gf o, const gf a)
{
    gf c;
    copy(c, a);
    for (int i = 250; i >= 0; i--) {
        square(c, c);
        if (i != 1) mul(c, c, a);
    }
    copy(o, c);
}

typedef gf point[4];

static void point_add(point p, point q)
{
    gf a, b, c, d, t, e, f, g, h;
    sub(a, p[1], p[0]);
    sub(t, q[1], q[0]);
    mul(a, a, t);
    add(b, p[0], p[1]);
    add(t, q[0], q[1]);
    mul(b, b, t);
    mul(c, p[3], q[3]);
    mul(c, c, D2);
    mul(d, p[2], q[2]);
    add(d, d, d);
    sub(e, b, a);
    sub(f, d, c);
    add(g, d, c);
    add(h, b, a);
    mul(p[0], e, f);
    mul(p[1], h, g);
    mul(p[2], g, f);
    mul(p[3], e, h);
}

static void point_swap_if(point p, point q, int64_t b)
{
    for (int i = 0; i < 4; i++) swap_if(p[i], q[i], b);
}

static void point_pack(uint8_t out[32], point p)
{
    gf zi, tx, ty;
    invert(zi, p[2]);
    mul(tx, p[0], zi);
    mul(ty, p[1], zi);
    pack(out, ty);
    out[31] ^= (uint8_t)(parity(tx) << 7);
}

/* p = s * q (q is clobbered), a Montgomery-style ladder over all 256 bits. */
static void scalar_mul(point p, point q, const uint8_t s[32])
{
    copy(p[0], gf0);
    copy(p[1], gf1);
    copy(p[2], gf1);
    copy(p[3], gf0);
    for (int i = 255; i >= 0; i--) {
        int64_t bit = (s[i / 8] >> (i & 7)) & 1;
        point_swap_if(p, q, bit);
        point_add(q, p);
        point_add(p, p);
        point_swap_if(p, q, bit);
    }
}

static void scalar_mul_base(point p, const uint8_t s[32])
{
    point q;
    copy(q[0], BX);
    copy(q[1], BY);
    copy(q[2], gf1);
    mul(q[3], BX, BY);
    scalar_mul(p, q, s);
}

/* r = x mod L, for x of 64 little-endian bytes held as limbs (clobbered). */
static void mod_l(uint8_t r[32], int64_t x[64])
{
    int64_t c;
    for (int i = 63; i >= 32; i--) {
        c = 0;
        int j;
        for (j = i - 32; j < i - 12; j++) {
            x[j] += c - 16 * x[i] * L[j - (i - 32)];
            c = (x[j] + 128) >> 8;
            x[j] -= c * 256;
        }
        x[j] += c;
        x[i] = 0;
    }
    c = 0;
    for (int j = 0; j < 32; j++) {
        x[j] += c - (x[31] >> 4) * L[j];
        c = x[j] >> 8;
        x[j] &= 255;
    }
    for (int j = 0; j < 32; j++) x[j] -= c * L[j];
    for (int i = 0; i < 32; i++) {
        x[i + 1] += x[i] >> 8;
        r[i] = (uint8_t)(x[i] & 255);
    }
}

static void reduce(uint8_t r[64])
{
    int64_t x[64];
    for (int i = 0; i < 64; i++) x[i] = r[i];
    memset(r, 0, 64);
    mod_l(r, x);
}

/* Decompresses a public key into -A (negated, as verification needs). */
static bool unpack_negated(point r, const uint8_t key[32])
{
    gf t, chk, num, den, den2, den4, den6;
    copy(r[2], gf1);
    unpack(r[1], key);
    square(num, r[1]);
    mul(den, num, D);
    sub(num, num, r[2]);
    add(den, r[2], den);

    square(den2, den);
    square(den4, den2);
    mul(den6, den4, den2);
    mul(t, den6, num);
    mul(t, t, den);

    pow2523(t, t);
    mul(t, t, num);
    mul(t, t, den);
    mul(t, t, den);
    mul(r[0], t, den);

    square(chk, r[0]);
    mul(chk, chk, den);
    if (!equal(chk, num)) mul(r[0], r[0], SQRTM1);

    square(chk, r[0]);
    mul(chk, chk, den);
    if (!equal(chk, num)) return false;

    if (parity(r[0]) == (key[31] >> 7)) sub(r[0], gf0, r[0]);
    mul(r[3], r[0], r[1]);
    return true;
}

/* S < L, compared from the most significant byte. */
static bool scalar_canonical(const uint8_t s[32])
{
    for (int i = 31; i >= 0; i--) {
        if (s[i] < L[i]) return true;
        if (s[i] > L[i]) return false;
    }
    return false;
}

bool wb_ed25519_verify(const uint8_t signature[64], const uint8_t *message, size_t len, const uint8_t public_key[32])
{
    point p, q;
    uint8_t h[64], check[32];
    if (!scalar_canonical(signature + 32)) return false;
    if (!unpack_negated(q, public_key)) return false;

    wb_sha512_ctx sha;
    wb_sha512_init(&sha);
    wb_sha512_update(&sha, signature, 32);
    wb_sha512_update(&sha, public_key, 32);
    wb_sha512_update(&sha, message, len);
    wb_sha512_final(&sha, h);
    reduce(h);

    scalar_mul(p, q, h);               /* -h·A */
    scalar_mul_base(q, signature + 32); /* S·B */
    point_add(p, q);
    point_pack(check, p);
    return memcmp(check, signature, 32) == 0; /* == R */
}

void wb_ed25519_public_key(const uint8_t seed[32], uint8_t public_key[32])
{
    uint8_t h[64];
    point p;
    wb_sha512_ctx sha;
    wb_sha512_init(&sha);
    wb_sha512_update(&sha, seed, 32);
    wb_sha512_final(&sha, h);
    h[0] &= 248;
    h[31] &= 127;
    h[31] |= 64;
    scalar_mul_base(p, h);
    point_pack(public_key, p);
    memset(h, 0, sizeof h);
}
