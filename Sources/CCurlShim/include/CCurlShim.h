#ifndef CCURLSHIM_H
#define CCURLSHIM_H

// Typed wrappers for the parts of libcurl that Swift cannot call directly: `curl_easy_setopt` and
// `curl_easy_getinfo` are variadic, and `CURL_GLOBAL_DEFAULT` is a macro. One wrapper per argument kind
// keeps the C side trivially correct: each passes exactly the type libcurl documents for the option.

#include <curl/curl.h>

/// Runs `curl_global_init(CURL_GLOBAL_DEFAULT)` exactly once per process (thread-safe) and returns the
/// result of that one call on every call.
CURLcode till_curl_global_init_once(void);

CURLcode till_curl_setopt_long(CURL *handle, CURLoption option, long value);
CURLcode till_curl_setopt_string(CURL *handle, CURLoption option, const char *value);
CURLcode till_curl_setopt_pointer(CURL *handle, CURLoption option, void *value);
CURLcode till_curl_setopt_off_t(CURL *handle, CURLoption option, curl_off_t value);
/// For CURLOPT_WRITEFUNCTION and CURLOPT_HEADERFUNCTION (same signature).
CURLcode till_curl_setopt_write_callback(CURL *handle, CURLoption option, curl_write_callback value);
/// For CURLOPT_XFERINFOFUNCTION.
CURLcode till_curl_setopt_xferinfo_callback(CURL *handle, CURLoption option, curl_xferinfo_callback value);
/// For CURLOPT_HTTPHEADER and other list options; NULL clears the list.
CURLcode till_curl_setopt_slist(CURL *handle, CURLoption option, struct curl_slist *value);

CURLcode till_curl_getinfo_long(CURL *handle, CURLINFO info, long *value);
CURLcode till_curl_getinfo_double(CURL *handle, CURLINFO info, double *value);
CURLcode till_curl_getinfo_string(CURL *handle, CURLINFO info, const char **value);
CURLcode till_curl_getinfo_off_t(CURL *handle, CURLINFO info, curl_off_t *value);

/// CURL_ERROR_SIZE, the size CURLOPT_ERRORBUFFER must have.
static inline long till_curl_error_size(void) { return CURL_ERROR_SIZE; }

#endif
