//! Just enough of Python's pickle machine to read a PyTorch state dict: values are built,
//! nothing is executed. Calls of unknown classes become opaque [`Value::Call`] values.

/// A value on the pickle stack.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// `None`.
    None,
    /// A boolean.
    Bool(bool),
    /// An integer.
    Int(i64),
    /// A float.
    Float(f64),
    /// A text string.
    Str(String),
    /// A byte string.
    Bytes(Vec<u8>),
    /// A tuple or a list.
    List(Vec<Value>),
    /// A dict, in insertion order.
    Dict(Vec<(Value, Value)>),
    /// A class or function named by module and name.
    Global(String, String),
    /// `callable(*args)`, not evaluated.
    Call(Box<Value>, Vec<Value>),
    /// A persistent id (PyTorch's reference to a storage).
    Persistent(Box<Value>),
    /// The stack mark.
    Mark,
}

const MAX_MEMO: usize = 1 << 20;

struct Machine<'a> {
    data: &'a [u8],
    at: usize,
    stack: Vec<Value>,
    memo: std::collections::HashMap<u32, Value>,
}

/// Runs the pickle program `data` and returns the value it stops with.
pub fn load(data: &[u8]) -> Result<Value, String> {
    let mut m = Machine {
        data,
        at: 0,
        stack: Vec::new(),
        memo: Default::default(),
    };
    loop {
        let op = m.byte()?;
        if op == b'.' {
            return m.pop();
        }
        m.step(op)?;
    }
}

impl Machine<'_> {
    fn take(&mut self, n: usize) -> Result<&[u8], String> {
        let end = self.at.checked_add(n).filter(|&e| e <= self.data.len());
        let end = end.ok_or("pickle ends early")?;
        let s = &self.data[self.at..end];
        self.at = end;
        Ok(s)
    }

    fn byte(&mut self) -> Result<u8, String> {
        Ok(self.take(1)?[0])
    }

    fn uint(&mut self, n: usize) -> Result<u64, String> {
        let b = self.take(n)?;
        Ok(b.iter().rev().fold(0u64, |acc, &x| (acc << 8) | x as u64))
    }

    fn line(&mut self) -> Result<String, String> {
        let rest = &self.data[self.at..];
        let n = rest
            .iter()
            .position(|&b| b == b'\n')
            .ok_or("unterminated line")?;
        let s = String::from_utf8_lossy(&rest[..n]).into_owned();
        self.at += n + 1;
        Ok(s)
    }

    fn pop(&mut self) -> Result<Value, String> {
        self.stack
            .pop()
            .ok_or_else(|| "pickle stack underflow".to_string())
    }

    fn top(&mut self) -> Result<&mut Value, String> {
        self.stack
            .last_mut()
            .ok_or_else(|| "pickle stack underflow".to_string())
    }

    fn since_mark(&mut self) -> Result<Vec<Value>, String> {
        let at = self
            .stack
            .iter()
            .rposition(|v| *v == Value::Mark)
            .ok_or("pickle mark missing")?;
        let items = self.stack.split_off(at + 1);
        self.stack.pop();
        Ok(items)
    }

    fn text(&mut self, n: usize) -> Result<Value, String> {
        let b = self.take(n)?;
        Ok(Value::Str(String::from_utf8_lossy(b).into_owned()))
    }

    fn remember(&mut self, key: u32) -> Result<(), String> {
        if self.memo.len() >= MAX_MEMO {
            return Err("pickle memo too large".into());
        }
        let v = self.stack.last().cloned().ok_or("pickle stack underflow")?;
        self.memo.insert(key, v);
        Ok(())
    }

    fn recall(&mut self, key: u32) -> Result<(), String> {
        let v = self
            .memo
            .get(&key)
            .cloned()
            .ok_or("pickle memo key missing")?;
        self.stack.push(v);
        Ok(())
    }

    fn step(&mut self, op: u8) -> Result<(), String> {
        match op {
            0x80 => {
                self.byte()?;
            }
            0x95 => {
                self.take(8)?;
            }
            b'}' => self.stack.push(Value::Dict(Vec::new())),
            b']' | b')' => self.stack.push(Value::List(Vec::new())),
            b'(' => self.stack.push(Value::Mark),
            b'N' => self.stack.push(Value::None),
            0x88 => self.stack.push(Value::Bool(true)),
            0x89 => self.stack.push(Value::Bool(false)),
            b'K' => {
                let v = self.uint(1)? as i64;
                self.stack.push(Value::Int(v));
            }
            b'M' => {
                let v = self.uint(2)? as i64;
                self.stack.push(Value::Int(v));
            }
            b'J' => {
                let v = self.uint(4)? as u32 as i32 as i64;
                self.stack.push(Value::Int(v));
            }
            0x8a => {
                let n = self.byte()? as usize;
                let b = self.take(n)?.to_vec();
                self.stack.push(Value::Int(long(&b)?));
            }
            b'G' => {
                let b = self.take(8)?;
                let mut a = [0u8; 8];
                a.copy_from_slice(b);
                self.stack.push(Value::Float(f64::from_be_bytes(a)));
            }
            b'X' => {
                let n = self.uint(4)? as usize;
                let v = self.text(n)?;
                self.stack.push(v);
            }
            0x8c => {
                let n = self.byte()? as usize;
                let v = self.text(n)?;
                self.stack.push(v);
            }
            b'U' | b'C' => {
                let n = self.byte()? as usize;
                let v = self.take(n)?.to_vec();
                self.stack.push(Value::Bytes(v));
            }
            b'B' => {
                let n = self.uint(4)? as usize;
                let v = self.take(n)?.to_vec();
                self.stack.push(Value::Bytes(v));
            }
            b'q' => {
                let k = self.uint(1)? as u32;
                self.remember(k)?;
            }
            b'r' => {
                let k = self.uint(4)? as u32;
                self.remember(k)?;
            }
            0x94 => {
                let k = self.memo.len() as u32;
                self.remember(k)?;
            }
            b'h' => {
                let k = self.uint(1)? as u32;
                self.recall(k)?;
            }
            b'j' => {
                let k = self.uint(4)? as u32;
                self.recall(k)?;
            }
            b't' => {
                let items = self.since_mark()?;
                self.stack.push(Value::List(items));
            }
            0x85..=0x87 => {
                let n = (op - 0x84) as usize;
                let at = self
                    .stack
                    .len()
                    .checked_sub(n)
                    .ok_or("pickle stack underflow")?;
                let items = self.stack.split_off(at);
                self.stack.push(Value::List(items));
            }
            b'c' => {
                let module = self.line()?;
                let name = self.line()?;
                self.stack.push(Value::Global(module, name));
            }
            0x93 => {
                let name = self.pop()?;
                let module = self.pop()?;
                match (module, name) {
                    (Value::Str(m), Value::Str(n)) => self.stack.push(Value::Global(m, n)),
                    _ => return Err("STACK_GLOBAL needs two strings".into()),
                }
            }
            b'Q' => {
                let id = self.pop()?;
                self.stack.push(Value::Persistent(Box::new(id)));
            }
            b'R' | 0x81 => {
                let args = self.pop()?;
                let f = self.pop()?;
                self.stack.push(call(f, args));
            }
            b'b' => {
                self.pop()?; // object state: not needed
            }
            b'a' => {
                let v = self.pop()?;
                if let Value::List(items) = self.top()? {
                    items.push(v);
                }
            }
            b'e' => {
                let items = self.since_mark()?;
                if let Value::List(list) = self.top()? {
                    list.extend(items);
                }
            }
            b's' => {
                let v = self.pop()?;
                let k = self.pop()?;
                if let Value::Dict(d) = self.top()? {
                    d.push((k, v));
                }
            }
            b'u' => {
                let items = self.since_mark()?;
                if let Value::Dict(d) = self.top()? {
                    let mut it = items.into_iter();
                    while let (Some(k), Some(v)) = (it.next(), it.next()) {
                        d.push((k, v));
                    }
                }
            }
            other => return Err(format!("unsupported pickle opcode {other:#04x}")),
        }
        Ok(())
    }
}

fn long(b: &[u8]) -> Result<i64, String> {
    if b.len() > 8 {
        return Err("integer too large".into());
    }
    let mut a = [0u8; 8];
    a[..b.len()].copy_from_slice(b);
    if b.last().is_some_and(|&x| x & 0x80 != 0) {
        a[b.len()..].iter_mut().for_each(|x| *x = 0xff);
    }
    Ok(i64::from_le_bytes(a))
}

/// `f(*args)`: an OrderedDict becomes a plain dict; everything else stays a call.
fn call(f: Value, args: Value) -> Value {
    let args = match args {
        Value::List(a) => a,
        other => vec![other],
    };
    match &f {
        Value::Global(m, n) if m == "collections" && n == "OrderedDict" => Value::Dict(Vec::new()),
        _ => Value::Call(Box::new(f), args),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    /// `pickle.dumps({'a': 1, 'b': [1.5, 'x'], 'c': (True, None),
    ///                'd': OrderedDict([('k', -70000)])}, protocol=2)`
    const PICKLED: &[u8] = &[
        128, 2, 125, 113, 0, 40, 88, 1, 0, 0, 0, 97, 113, 1, 75, 1, 88, 1, 0, 0, 0, 98, 113, 2, 93,
        113, 3, 40, 71, 63, 248, 0, 0, 0, 0, 0, 0, 88, 1, 0, 0, 0, 120, 113, 4, 101, 88, 1, 0, 0,
        0, 99, 113, 5, 136, 78, 134, 113, 6, 88, 1, 0, 0, 0, 100, 113, 7, 99, 99, 111, 108, 108,
        101, 99, 116, 105, 111, 110, 115, 10, 79, 114, 100, 101, 114, 101, 100, 68, 105, 99, 116,
        10, 113, 8, 41, 82, 113, 9, 88, 1, 0, 0, 0, 107, 113, 10, 74, 144, 238, 254, 255, 115, 117,
        46,
    ];

    fn s(x: &str) -> Value {
        Value::Str(x.into())
    }

    #[test]
    fn a_python_pickle_reads_back() {
        let v = load(PICKLED).unwrap();
        let want = Value::Dict(vec![
            (s("a"), Value::Int(1)),
            (s("b"), Value::List(vec![Value::Float(1.5), s("x")])),
            (s("c"), Value::List(vec![Value::Bool(true), Value::None])),
            (s("d"), Value::Dict(vec![(s("k"), Value::Int(-70000))])),
        ]);
        assert_eq!(v, want);
    }

    #[test]
    fn a_cut_or_garbled_pickle_is_an_error_not_a_panic() {
        for n in 0..PICKLED.len() {
            assert!(load(&PICKLED[..n]).is_err(), "cut at {n}");
        }
        let mut bad = PICKLED.to_vec();
        bad[2] = 0xff;
        assert!(load(&bad).is_err());
    }
}
