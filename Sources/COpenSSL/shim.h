// OpenSSL's libcrypto (Debian: libssl-dev, which libpq-dev brings too): the hashes, signatures
// and ciphers luban uses, with the processor's own instructions for them (see LubanCrypto).
//
// SHA-256 is used through its low-level functions, whose state is a plain struct: an HMAC's
// keyed state is then a value, copied for each message without an allocation. OpenSSL 3 marks
// them deprecated in favour of EVP contexts, which are heap objects; they remain in OpenSSL 3.
#define OPENSSL_SUPPRESS_DEPRECATED 1
#include <openssl/evp.h>
#include <openssl/sha.h>
#include <openssl/crypto.h>
#include <openssl/rand.h>
