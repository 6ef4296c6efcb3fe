/* wolfSSL is built without its error strings (NO_ERROR_STRINGS saves flash):
 * these are the failures a device can meet, in words an operator can act on. */
#include <wolfssl/wolfcrypt/settings.h>
#include <wolfssl/error-ssl.h>
#include <wolfssl/wolfcrypt/error-crypt.h>

#include "tls_client.h"

const char *wb_tls_error_text(int error)
{
    switch (error) {
    case 0: return "no error";
    case ASN_NO_SIGNER_E: return "gateway certificate is not issued by the provisioned platform CA";
    case ASN_SIG_CONFIRM_E:
    case ASN_SIG_KEY_E:
    case ASN_SIG_OID_E: return "gateway certificate signature does not verify";
    case DOMAIN_NAME_MISMATCH: return "gateway certificate does not name the endpoint host";
    case VERIFY_SIGN_ERROR:
    case SIG_VERIFY_E: return "gateway CertificateVerify signature does not verify";
    case VERIFY_CERT_ERROR:
    case NO_PEER_CERT: return "gateway sent no usable certificate";
    case ASN_PARSE_E: return "certificate or key could not be parsed";
    case FATAL_ERROR: return "gateway sent a fatal alert";
    case VERSION_ERROR: return "gateway does not speak TLS 1.3";
    case MATCH_SUITE_ERROR:
    case UNSUPPORTED_SUITE: return "no common cipher suite (device offers TLS_CHACHA20_POLY1305_SHA256)";
    case BAD_KEY_SHARE_DATA: return "no common key exchange (device offers x25519)";
    case DECRYPT_ERROR: return "record failed authentication";
    case SOCKET_ERROR_E:
    case SOCKET_PEER_CLOSED_E: return "link closed";
    case MEMORY_E:
    case MEMORY_ERROR: return "out of memory";
    default: return "TLS failure (wolfSSL error code)";
    }
}
