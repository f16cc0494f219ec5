//! "Screen complete": when a window's content is drawn, judged from the X screen alone, so
//! that the app and the bare window are timed by the same rule (issue 24). The window's
//! rectangle is sampled every 20 ms from the moment it is mapped; the reference is the
//! sample taken 4 s after that; the screen is complete at the first sample that holds at
//! least 90 % of the reference's distinct colours (text, fields and borders drawn: anti-aliased
//! text and borders bring colours a blank or half-laid-out page does not have).

use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use x11rb::connection::Connection;
use x11rb::protocol::xproto::{ConnectionExt, ImageFormat};
use x11rb::rust_connection::RustConnection;

pub const INTERVAL: Duration = Duration::from_millis(20);
pub const REFERENCE_AFTER: Duration = Duration::from_secs(4);
const SHARE: f64 = 0.90;

pub struct Sampler {
    x: RustConnection,
    root: u32,
    /// One bit per 24-bit colour, reused for every frame.
    seen: Vec<u64>,
}

/// One sample: when it was taken (since spawn) and the distinct colours it held.
struct Frame {
    at: Duration,
    colours: Vec<u32>,
}

impl Sampler {
    pub fn connect() -> Result<Self> {
        let (x, screen) = x11rb::connect(None).context("connecting to the X display")?;
        let root = x.setup().roots[screen].root;
        Ok(Self {
            x,
            root,
            seen: vec![0; (1 << 24) / 64],
        })
    }

    /// Samples `window` (its rectangle on the root window) until [`REFERENCE_AFTER`] past
    /// `mapped`, and returns when, since `started`, it was first complete.
    pub fn time_to_complete(
        &mut self,
        window: u32,
        started: Instant,
        mapped: Instant,
    ) -> Result<Duration> {
        let geometry = self.x.get_geometry(window)?.reply()?;
        let origin = self
            .x
            .translate_coordinates(window, self.root, 0, 0)?
            .reply()?;
        let rect = (origin.dst_x, origin.dst_y, geometry.width, geometry.height);
        let end = mapped + REFERENCE_AFTER;
        let mut frames = Vec::new();
        let mut next = Instant::now();
        loop {
            let at = started.elapsed();
            frames.push(Frame {
                at,
                colours: self.colours(rect)?,
            });
            if Instant::now() >= end {
                break;
            }
            next += INTERVAL;
            std::thread::sleep(next.min(end).saturating_duration_since(Instant::now()));
        }
        let reference = frames.last().expect("at least one sample");
        for &colour in &reference.colours {
            self.mark(colour);
        }
        let wanted = (reference.colours.len() as f64 * SHARE).ceil() as usize;
        let held = |frame: &Frame| frame.colours.iter().filter(|&&c| self.marked(c)).count();
        if std::env::var_os("MFA_DESK_BENCH_FRAMES").is_some() {
            for frame in &frames {
                eprintln!(
                    "  {:>7.1} ms: {:>5} colours, {:>5} of the {} at the end",
                    frame.at.as_secs_f64() * 1000.0,
                    frame.colours.len(),
                    held(frame),
                    reference.colours.len()
                );
            }
        }
        let complete = frames
            .iter()
            .find(|frame| held(frame) >= wanted)
            .map_or(reference.at, |frame| frame.at);
        for &colour in &reference.colours {
            self.unmark(colour);
        }
        Ok(complete)
    }

    /// The distinct colours inside `rect` of the root window, sorted.
    fn colours(&mut self, (x, y, width, height): (i16, i16, u16, u16)) -> Result<Vec<u32>> {
        let image = self
            .x
            .get_image(ImageFormat::Z_PIXMAP, self.root, x, y, width, height, !0)?
            .reply()?;
        let mut colours = Vec::new();
        // 24-bit depth arrives as 32 bits a pixel, little-endian BGRX.
        for pixel in image.data.chunks_exact(4) {
            let colour = u32::from_le_bytes([pixel[0], pixel[1], pixel[2], 0]);
            if !self.marked(colour) {
                self.mark(colour);
                colours.push(colour);
            }
        }
        for &colour in &colours {
            self.unmark(colour);
        }
        colours.sort_unstable();
        Ok(colours)
    }

    fn marked(&self, colour: u32) -> bool {
        self.seen[(colour / 64) as usize] & (1 << (colour % 64)) != 0
    }

    fn mark(&mut self, colour: u32) {
        self.seen[(colour / 64) as usize] |= 1 << (colour % 64);
    }

    fn unmark(&mut self, colour: u32) {
        self.seen[(colour / 64) as usize] &= !(1 << (colour % 64));
    }
}
