import Foundation

/// Markup planted as the text of a government page (the issue's "crawled text holding
/// `<script>`, `"onmouseover=`, `javascript:` URLs"): the platform must show it inert on every
/// page that carries it. The strings are public so tests look for exactly them.
public enum HostileMarkup {
    /// A script element's start tag, as text (its end tag follows a few words later: the
    /// finding's excerpt, 15 characters each side of the error, holds the start tag whole).
    public static let script = "<script>"
    public static let scriptEnd = "</script>"
    /// What would close an attribute and open an event handler if pasted into one unescaped.
    public static let attribute = "\"onmouseover=alert(1)"
    /// A link target that would run script.
    public static let javascriptURL = "javascript:alert(1)"
}
