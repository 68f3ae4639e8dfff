package fr.aisne.hub.api.operations;

/**
 * The beginning of a stored payload, for display: at most the preview's limit, decoded as text when the content
 * type is textual.
 *
 * @param text the beginning as text (null for binary content)
 * @param base64 the beginning in Base64 (null for text)
 * @param truncated true when the payload is longer than what is shown
 */
public record PayloadPreview(String contentType, long size, String text, String base64, boolean truncated) {
}
