//! Plain-text tables for people: columns padded to their widest cell, `-` for a missing value.

pub struct Table {
    header: Vec<&'static str>,
    rows: Vec<Vec<String>>,
}

impl Table {
    pub fn new(header: &[&'static str]) -> Self {
        Self {
            header: header.to_vec(),
            rows: Vec::new(),
        }
    }

    pub fn row(&mut self, cells: Vec<Option<String>>) {
        self.rows.push(
            cells
                .into_iter()
                .map(|cell| cell.filter(|c| !c.is_empty()).unwrap_or_else(|| "-".into()))
                .collect(),
        );
    }

    pub fn render(&self) -> String {
        let width = |column: usize| {
            self.rows
                .iter()
                .map(|row| row[column].chars().count())
                .chain([self.header[column].len()])
                .max()
                .unwrap_or(0)
        };
        let widths: Vec<usize> = (0..self.header.len()).map(width).collect();
        let line = |cells: Vec<&str>| {
            let mut text = String::new();
            for (i, cell) in cells.iter().enumerate() {
                text.push_str(cell);
                if i + 1 < cells.len() {
                    let pad = widths[i] - cell.chars().count() + 2;
                    text.push_str(&" ".repeat(pad));
                }
            }
            text.trim_end().to_owned() + "\n"
        };
        let mut out = line(self.header.clone());
        for row in &self.rows {
            out.push_str(&line(row.iter().map(String::as_str).collect()));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_line_up() {
        let mut table = Table::new(&["ID", "TYPE"]);
        table.row(vec![Some("totp|dev_1".into()), Some("totp".into())]);
        table.row(vec![Some("x".into()), None]);
        assert_eq!(
            table.render(),
            "ID          TYPE\ntotp|dev_1  totp\nx           -\n"
        );
    }
}
