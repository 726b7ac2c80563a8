import Crypto
import Foundation

/// The signature of a webhook body, so a receiver can tell GovWatch's posts from forged ones:
/// `X-GovWatch-Signature: sha256=HEX`, the HMAC-SHA256 of the exact body bytes under the
/// secret the administrator set on the 设置 page (the scheme GitHub's webhooks use).
public enum WebhookSignature {
    public static let headerName = "X-GovWatch-Signature"

    /// `sha256=` and the hex HMAC-SHA256 of `body` under `secret`.
    public static func sign(_ body: Data, secret: String) -> String {
        let code = HMAC<SHA256>.authenticationCode(for: body, using: SymmetricKey(data: Data(secret.utf8)))
        return "sha256=" + code.map { String(format: "%02x", $0) }.joined()
    }
}
