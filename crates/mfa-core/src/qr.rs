//! QR codes drawn locally (no network, no third-party image service) as SVG data URLs that
//! the webview can show under a CSP allowing only `img-src 'self' data:`.

use base64::Engine;
use qrcode::render::svg;
use qrcode::{EcLevel, QrCode};

/// Renders `text` as an SVG QR code inside a `data:` URL.
pub fn svg_data_url(text: &str) -> Result<String, qrcode::types::QrError> {
    let code = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M)?;
    let svg = code
        .render::<svg::Color<'_>>()
        .min_dimensions(220, 220)
        .quiet_zone(true)
        .dark_color(svg::Color("#000000"))
        .light_color(svg::Color("#ffffff"))
        .build();
    Ok(format!(
        "data:image/svg+xml;base64,{}",
        base64::engine::general_purpose::STANDARD.encode(svg)
    ))
}

#[cfg(test)]
mod tests {
    #[test]
    fn renders_an_svg_data_url() {
        let url = super::svg_data_url("otpauth://totp/A:b?secret=JBSWY3DPEHPK3PXP").unwrap();
        assert!(url.starts_with("data:image/svg+xml;base64,"));
        assert!(url.len() > 1000);
    }
}
