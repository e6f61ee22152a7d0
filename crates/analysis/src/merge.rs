//! Merging a partial TOML table over a full one, refusing keys the full one lacks.

/// Merges `over` into `base`: tables key by key, every other value replaced.
/// Returns the dotted name of the first key `base` does not have.
pub(crate) fn merge_table(
    base: &mut toml::Table,
    over: toml::Table,
    prefix: &str,
) -> Result<(), String> {
    for (key, value) in over {
        let dotted = if prefix.is_empty() {
            key.clone()
        } else {
            format!("{prefix}.{key}")
        };
        match base.get_mut(&key) {
            None => return Err(dotted),
            Some(toml::Value::Table(inner)) => match value {
                toml::Value::Table(over_inner) => merge_table(inner, over_inner, &dotted)?,
                other => *base.entry(key).or_insert(toml::Value::Boolean(false)) = other,
            },
            Some(slot) => *slot = value,
        }
    }
    Ok(())
}
