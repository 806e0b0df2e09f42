internal import CCurl

extension CurlWorker {
    /// Hands one rendered message to the SMTP server on this worker's handle: EHLO (and
    /// STARTTLS, AUTH) on a new connection, then MAIL FROM, RCPT TO for each recipient, DATA.
    /// An open session from the previous message is reused.
    func performSMTP(_ mail: RenderedMail, configuration: SMTPConfiguration, cancel: CancelFlag) throws {
        let context = TransferContext(cancel: cancel, upload: mail.data)

        // CURLOPT_MAIL_RCPT keeps a pointer to this list until perform returns; the strings in
        // it are copies. Freed on every path.
        var recipientList: UnsafeMutablePointer<curl_slist>?
        defer { curl_slist_free_all(recipientList) }
        for recipient in mail.recipients {
            guard let appended = curl_slist_append(recipientList, "<\(recipient)>") else {
                throw CurlFailure(code: CURLE_OUT_OF_MEMORY, errorBuffer: "curl_slist_append failed")
            }
            recipientList = appended
        }

        // The handle holds `context` as a raw pointer until perform returns; keep it alive.
        defer { withExtendedLifetime(context) {} }
        let handle = try prepareHandle(context: context, timeout: configuration.timeout,
                                       connectTimeout: configuration.connectTimeout)
        // String options (URL, MAIL_FROM, credentials) are copied by libcurl.
        try check(ccurl_setopt_str(handle, CURLOPT_URL, configuration.url))
        try check(ccurl_setopt_str(handle, CURLOPT_PROTOCOLS_STR, "smtp,smtps"))
        let tls = configuration.requireTLS ? CURLUSESSL_ALL : CURLUSESSL_TRY
        try check(ccurl_setopt_long(handle, CURLOPT_USE_SSL, Int(tls.rawValue)))
        if let username = configuration.username {
            try check(ccurl_setopt_str(handle, CURLOPT_USERNAME, username))
            try check(ccurl_setopt_str(handle, CURLOPT_PASSWORD, configuration.password ?? ""))
        }
        try check(ccurl_setopt_str(handle, CURLOPT_MAIL_FROM, "<\(mail.envelopeFrom)>"))
        try check(ccurl_setopt_slist(handle, CURLOPT_MAIL_RCPT, recipientList))
        // The message goes up through the read callback, which copies from `context.upload`.
        // libcurl escapes lines that start with "." and appends the final CRLF "." CRLF.
        try check(ccurl_setopt_long(handle, CURLOPT_UPLOAD, 1))
        try check(ccurl_setopt_off(handle, CURLOPT_INFILESIZE_LARGE, curl_off_t(mail.data.count)))
        try check(ccurl_setopt_read_cb(handle, ccurlReadUpload))
        try check(ccurl_setopt_ptr(handle, CURLOPT_READDATA, context.userdata))

        let code = curl_easy_perform(handle)
        guard code == CURLE_OK else {
            let failure = failure(code, handle: handle)
            throw SMTPTransferFailure(curl: failure, cancelled: cancel.isCancelled && failure.isAbortedByCallback)
        }
    }
}

/// A failed SMTP transfer, for ``SMTPClient`` to classify.
struct SMTPTransferFailure: Error {
    var curl: CurlFailure
    var cancelled: Bool
}
