#ifndef CCURL_SHIM_H
#define CCURL_SHIM_H
/*
 * libcurl for Swift. `curl_easy_setopt` and `curl_easy_getinfo` are variadic, which Swift
 * refuses to import, so each argument kind gets one fixed-signature wrapper here.
 *
 * Contracts that matter to the callers (libcurl 7.88, see CURLOPT_* man pages):
 *  - String options (ccurl_setopt_str) are COPIED by libcurl since 7.17: the caller's
 *    buffer only has to live for the call. The exception is CURLOPT_POSTFIELDS, which is
 *    only a pointer: use ccurl_set_post_body and keep the bytes alive until
 *    curl_easy_perform returns.
 *  - Lists (ccurl_setopt_slist: HTTPHEADER, MAIL_RCPT) are NOT copied: the curl_slist must
 *    live until curl_easy_perform returns; the caller frees it with curl_slist_free_all.
 *  - Pointer options (ccurl_setopt_ptr: WRITEDATA, HEADERDATA, READDATA, XFERINFODATA,
 *    ERRORBUFFER) are stored as is and handed back to the callbacks during perform. They
 *    must stay valid until perform returns (or until the option is reset).
 *  - Callbacks run synchronously on the thread that called curl_easy_perform.
 *  - ccurl_getinfo_str returns memory owned by the handle, valid until the next transfer
 *    or curl_easy_reset/cleanup: copy it at once.
 */
#include <curl/curl.h>

static inline CURLcode ccurl_setopt_long(CURL *handle, CURLoption option, long value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode ccurl_setopt_off(CURL *handle, CURLoption option, curl_off_t value) {
    return curl_easy_setopt(handle, option, value);
}

/* libcurl copies the string (not CURLOPT_POSTFIELDS, see above). NULL resets the option. */
static inline CURLcode ccurl_setopt_str(CURL *handle, CURLoption option, const char *value) {
    return curl_easy_setopt(handle, option, value);
}

/* The pointer is stored, not copied or owned. */
static inline CURLcode ccurl_setopt_ptr(CURL *handle, CURLoption option, void *value) {
    return curl_easy_setopt(handle, option, value);
}

/* The list is stored, not copied: keep it until perform returns, then free it. */
static inline CURLcode ccurl_setopt_slist(CURL *handle, CURLoption option, struct curl_slist *list) {
    return curl_easy_setopt(handle, option, list);
}

/* CURLOPT_WRITEFUNCTION and CURLOPT_HEADERFUNCTION share this signature. */
static inline CURLcode ccurl_setopt_write_cb(CURL *handle, CURLoption option, curl_write_callback cb) {
    return curl_easy_setopt(handle, option, cb);
}

static inline CURLcode ccurl_setopt_read_cb(CURL *handle, curl_read_callback cb) {
    return curl_easy_setopt(handle, CURLOPT_READFUNCTION, cb);
}

static inline CURLcode ccurl_setopt_xferinfo_cb(CURL *handle, curl_xferinfo_callback cb) {
    return curl_easy_setopt(handle, CURLOPT_XFERINFOFUNCTION, cb);
}

/*
 * A request body sent as is with any method. CURLOPT_POSTFIELDS is NOT copied: `data`
 * must stay valid until curl_easy_perform returns. An empty body still needs a non-NULL
 * pointer, or libcurl would read the body from CURLOPT_READFUNCTION (stdin by default).
 */
static inline CURLcode ccurl_set_post_body(CURL *handle, const void *data, curl_off_t size) {
    CURLcode rc = curl_easy_setopt(handle, CURLOPT_POST, 1L);
    if (rc != CURLE_OK) return rc;
    rc = curl_easy_setopt(handle, CURLOPT_POSTFIELDSIZE_LARGE, size);
    if (rc != CURLE_OK) return rc;
    return curl_easy_setopt(handle, CURLOPT_POSTFIELDS, data != NULL ? data : (const void *) "");
}

static inline CURLcode ccurl_getinfo_long(CURL *handle, CURLINFO info, long *out) {
    return curl_easy_getinfo(handle, info, out);
}

/* `*out` points into the handle (or is NULL): copy it before the next transfer. */
static inline CURLcode ccurl_getinfo_str(CURL *handle, CURLINFO info, const char **out) {
    return curl_easy_getinfo(handle, info, out);
}

#endif
