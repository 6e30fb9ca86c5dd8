//! The figures of a run: each printed as it comes, then as one table, and
//! written as JSON so that runs can be compared.

use std::fmt::Write as _;
use std::path::Path;

use serde::Serialize;

/// One measured figure, with the limit it is compared to and the target it
/// should meet, when it has them.
#[derive(Clone, Debug, Serialize)]
pub struct Figure {
    /// "start", "reads", "messages", "sockets", "logins", "images".
    pub section: &'static str,
    /// What was measured, e.g. "topic list (16 concurrent)".
    pub name: String,
    pub value: f64,
    /// "req/s", "ms", "KiB", "MiB", "s", "msg/s", "logins/s".
    pub unit: &'static str,
    pub reference: Option<Reference>,
    pub target: Option<Target>,
}

/// The limit a figure is compared to, measured in the same run.
#[derive(Clone, Debug, Serialize)]
pub struct Reference {
    pub name: String,
    pub value: f64,
    pub unit: &'static str,
}

/// The target for a figure, and whether this run met it.
#[derive(Clone, Debug, Serialize)]
pub struct Target {
    pub text: String,
    pub met: bool,
}

impl Figure {
    pub fn new(
        section: &'static str,
        name: impl Into<String>,
        value: f64,
        unit: &'static str,
    ) -> Self {
        Self {
            section,
            name: name.into(),
            value,
            unit,
            reference: None,
            target: None,
        }
    }

    /// Compares the figure with `name`, measured at `value`.
    pub fn against(mut self, name: impl Into<String>, value: f64, unit: &'static str) -> Self {
        self.reference = Some(Reference {
            name: name.into(),
            value,
            unit,
        });
        self
    }

    pub fn target(mut self, text: impl Into<String>, met: bool) -> Self {
        self.target = Some(Target {
            text: text.into(),
            met,
        });
        self
    }

    /// The figure over its reference, when both have the same unit.
    pub fn ratio(&self) -> Option<f64> {
        let reference = self.reference.as_ref()?;
        (reference.unit == self.unit && reference.value != 0.0 && reference.value.is_finite())
            .then_some(self.value / reference.value)
    }

    fn row(&self) -> [String; 6] {
        let reference = self.reference.as_ref().map_or_else(String::new, |r| {
            format!("{} {} ({})", number(r.value), r.unit, r.name)
        });
        let ratio = self
            .ratio()
            .map_or_else(String::new, |ratio| format!("{ratio:.2}×"));
        let target = self.target.as_ref().map_or_else(String::new, |t| {
            format!("{} {}", if t.met { "met:" } else { "NOT met:" }, t.text)
        });
        [
            self.section.to_owned(),
            self.name.clone(),
            format!("{} {}", number(self.value), self.unit),
            reference,
            ratio,
            target,
        ]
    }
}

/// Few digits where many would be noise.
fn number(value: f64) -> String {
    let magnitude = value.abs();
    if !value.is_finite() {
        format!("{value}")
    } else if magnitude >= 100.0 {
        format!("{value:.0}")
    } else if magnitude >= 10.0 {
        format!("{value:.1}")
    } else {
        format!("{value:.2}")
    }
}

const HEADERS: [&str; 6] = [
    "section",
    "figure",
    "value",
    "compared to",
    "ratio",
    "target",
];

pub struct Report {
    pub figures: Vec<Figure>,
    /// CPU, cores, memory, kernel and PostgreSQL of the machine.
    pub machine: String,
    pub quick: bool,
}

#[derive(Serialize)]
struct JsonFigure<'a> {
    #[serde(flatten)]
    figure: &'a Figure,
    ratio: Option<f64>,
}

#[derive(Serialize)]
struct JsonReport<'a> {
    generated_at: String,
    machine: &'a str,
    quick: bool,
    figures: Vec<JsonFigure<'a>>,
}

impl Report {
    pub fn new(machine: impl Into<String>, quick: bool) -> Self {
        Self {
            figures: Vec::new(),
            machine: machine.into(),
            quick,
        }
    }

    /// Records a figure and prints its row at once, so a person sees progress.
    pub fn push(&mut self, figure: Figure) {
        let [section, name, value, reference, ratio, target] = figure.row();
        let mut line = format!("{section}: {name} = {value}");
        if !reference.is_empty() {
            let _ = write!(line, "; compared to {reference}");
        }
        if !ratio.is_empty() {
            let _ = write!(line, ": {ratio}");
        }
        if !target.is_empty() {
            let _ = write!(line, "; target {target}");
        }
        eprintln!("{line}");
        self.figures.push(figure);
    }

    /// The whole run as an aligned table on stdout.
    pub fn print_table(&self) {
        let rows: Vec<[String; 6]> = self.figures.iter().map(Figure::row).collect();
        let mut widths = HEADERS.map(|header| header.chars().count());
        for row in &rows {
            for (width, cell) in widths.iter_mut().zip(row) {
                *width = (*width).max(cell.chars().count());
            }
        }
        let line = |cells: &[String]| {
            let mut text = String::new();
            for (index, (cell, width)) in cells.iter().zip(widths).enumerate() {
                if index > 0 {
                    text.push_str(" | ");
                }
                text.push_str(cell);
                if index + 1 < cells.len() {
                    let padding = width.saturating_sub(cell.chars().count());
                    text.extend(std::iter::repeat_n(' ', padding));
                }
            }
            text.trim_end().to_owned()
        };
        println!();
        println!(
            "NoxChat benchmark{} on {}",
            if self.quick { " (BENCH_QUICK)" } else { "" },
            self.machine
        );
        println!();
        println!("{}", line(&HEADERS.map(str::to_owned)));
        let rule: Vec<String> = widths.iter().map(|width| "-".repeat(*width)).collect();
        println!("{}", line(&rule).replace(' ', "-").replace("-|-", "-+-"));
        for row in &rows {
            println!("{}", line(row));
        }
        let targets: Vec<&Target> = self
            .figures
            .iter()
            .filter_map(|f| f.target.as_ref())
            .collect();
        if !targets.is_empty() {
            let met = targets.iter().filter(|t| t.met).count();
            println!();
            println!("{met} of {} targets met.", targets.len());
        }
    }

    pub fn write_json(&self, path: &Path) -> std::io::Result<()> {
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        let document = JsonReport {
            generated_at: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            machine: &self.machine,
            quick: self.quick,
            figures: self
                .figures
                .iter()
                .map(|figure| JsonFigure {
                    figure,
                    ratio: figure.ratio(),
                })
                .collect(),
        };
        let text = serde_json::to_string_pretty(&document).map_err(std::io::Error::other)?;
        std::fs::write(path, text + "\n")
    }
}
