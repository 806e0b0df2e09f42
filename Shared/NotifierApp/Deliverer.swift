import Contracts
import CryptoClient
import CurlClient
import Foundation
import HTTPCore
import PostgresClient
import Storage
import Wire

/// Performs one attempt of one delivery: the trigger call, the e-mail, or the callback.
///
/// Every attempt carries the delivery id (`X-OMS-Delivery-Id`, and the mail's Message-ID) so
/// receivers can de-duplicate, and, when a key is configured, an HMAC-SHA256 signature over
/// `<timestamp>.<delivery id>.<body>` in `X-OMS-Signature: sha256=<hex>` with the timestamp in
/// `X-OMS-Timestamp`; EOSC receivers may ignore both. Only a 2xx answer counts as delivered.
struct Deliverer: Sendable {
    let http: HTTPClient
    let smtp: SMTPClient
    let pool: PostgresPool
    let configuration: NotifierConfiguration
    let omses: OMSDirectory

    /// Why an attempt failed, in words for the delivery log.
    struct AttemptFailure: Error, CustomStringConvertible {
        let description: String
    }

    func attempt(_ delivery: Delivery) async throws {
        switch delivery.kind {
        case .trigger: try await trigger(delivery)
        case .email: try await email(delivery)
        case .callback: try await callback(delivery)
        }
    }

    private func trigger(_ delivery: Delivery) async throws {
        guard let omsID = delivery.omsID, let oms = try await omses.oms(omsID) else {
            return  // the OMS was removed: nothing left to notify
        }
        guard let url = oms.triggerURL else { return }  // its trigger was switched off
        var headers = signedHeaders(delivery, body: [])
        if let user = oms.triggerUser {
            let credentials = Data("\(user):\(oms.triggerPassword ?? "")".utf8).base64EncodedString()
            headers.add("Authorization", "Basic \(credentials)")
        }
        let request = OutgoingRequest(method: oms.triggerMethod.uppercased(), url: url, headers: headers,
                                      timeout: configuration.deliveryTimeout)
        do {
            try await send(request)
            await omses.recordTrigger(omsID, error: nil)
        } catch {
            await omses.recordTrigger(omsID, error: String(describing: error))
            throw error
        }
    }

    private func email(_ delivery: Delivery) async throws {
        guard let content = delivery.email, !content.to.isEmpty else { return }
        let id = delivery.id.uuidString.lowercased()
        let message = MailMessage(from: configuration.mailFrom, to: content.to, subject: content.subject, body: content.body,
                                  headers: ["X-OMS-Delivery-Id": id], messageID: "<\(id)@oms>")
        try await smtp.send(message)
    }

    private func callback(_ delivery: Delivery) async throws {
        guard let content = delivery.callback else { return }
        let body = try WireFormat.encode(content.body)
        var headers = signedHeaders(delivery, body: body)
        headers.add("Content-Type", "application/json")
        try await send(OutgoingRequest(method: "POST", url: content.url, headers: headers, body: body,
                                       timeout: configuration.deliveryTimeout))
    }

    private func send(_ request: OutgoingRequest) async throws {
        let response = try await http.send(request)
        guard (200..<300).contains(response.status) else {
            throw AttemptFailure(description: "\(request.method) \(request.url) answered \(response.status)")
        }
    }

    func signedHeaders(_ delivery: Delivery, body: [UInt8]) -> HTTPHeaders {
        let id = delivery.id.uuidString.lowercased()
        var headers: HTTPHeaders = ["X-OMS-Delivery-Id": id, "User-Agent": "eosc-oms-notifier"]
        if let key = configuration.signingKey {
            let timestamp = String(Int64(Date().timeIntervalSince1970))
            let signature = Crypto.hmacSHA256(key: key, message: Array("\(timestamp).\(id).".utf8) + body)
            headers.add("X-OMS-Timestamp", timestamp)
            headers.add("X-OMS-Signature", "sha256=" + Crypto.hex(signature))
        }
        return headers
    }
}
