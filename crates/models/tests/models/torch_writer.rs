//! Writes PyTorch checkpoints as `torch.save` does: a stored zip (optionally with zip64
//! records) holding `data.pkl`, a protocol-2 pickle of an OrderedDict of
//! `torch._utils._rebuild_tensor_v2(...)` calls, and one member per storage.

/// One tensor of the state dict: a view of a storage.
pub struct TorchTensor {
    pub name: String,
    pub storage: String,
    pub offset: usize,
    pub shape: Vec<usize>,
    pub stride: Vec<usize>,
}

/// One storage: its key, PyTorch class ("HalfStorage", ...) and bytes.
pub struct Storage {
    pub key: String,
    pub class: &'static str,
    pub data: Vec<u8>,
}

fn unicode(out: &mut Vec<u8>, s: &str) {
    out.push(b'X');
    out.extend_from_slice(&(s.len() as u32).to_le_bytes());
    out.extend_from_slice(s.as_bytes());
}

fn int(out: &mut Vec<u8>, v: usize) {
    out.push(b'J');
    out.extend_from_slice(&(v as i32).to_le_bytes());
}

fn tuple(out: &mut Vec<u8>, items: &[usize]) {
    out.push(b'(');
    for &i in items {
        int(out, i);
    }
    out.push(b't');
}

fn ordered_dict(out: &mut Vec<u8>) {
    out.extend_from_slice(b"ccollections\nOrderedDict\n)R");
}

/// The pickle of the state dict.
pub fn pickle(tensors: &[TorchTensor], storages: &[Storage]) -> Vec<u8> {
    let mut out = vec![0x80, 2];
    ordered_dict(&mut out);
    out.push(b'(');
    for t in tensors {
        let s = storages.iter().find(|s| s.key == t.storage).unwrap();
        let size = if s.class == "FloatStorage" { 4 } else { 2 };
        unicode(&mut out, &t.name);
        out.extend_from_slice(b"ctorch._utils\n_rebuild_tensor_v2\n(");
        out.push(b'(');
        unicode(&mut out, "storage");
        out.extend_from_slice(format!("ctorch\n{}\n", s.class).as_bytes());
        unicode(&mut out, &s.key);
        unicode(&mut out, "cpu");
        int(&mut out, s.data.len() / size);
        out.extend_from_slice(b"tQ");
        int(&mut out, t.offset);
        tuple(&mut out, &t.shape);
        tuple(&mut out, &t.stride);
        out.push(0x89);
        ordered_dict(&mut out);
        out.extend_from_slice(b"tR");
    }
    out.extend_from_slice(b"u.");
    out
}

/// A stored zip of `members`; with `zip64`, the end records and the central directory's
/// offsets take their zip64 forms.
pub fn zip(members: &[(String, Vec<u8>)], zip64: bool) -> Vec<u8> {
    let mut out = Vec::new();
    let mut central = Vec::new();
    let u16s = |v: &mut Vec<u8>, x: usize| v.extend_from_slice(&(x as u16).to_le_bytes());
    let u32s = |v: &mut Vec<u8>, x: usize| v.extend_from_slice(&(x as u32).to_le_bytes());
    let u64s = |v: &mut Vec<u8>, x: usize| v.extend_from_slice(&(x as u64).to_le_bytes());
    for (name, data) in members {
        let local = out.len();
        u32s(&mut out, 0x0403_4b50);
        for x in [20, 0, 0, 0, 0] {
            u16s(&mut out, x);
        }
        for x in [0, data.len(), data.len()] {
            u32s(&mut out, x);
        }
        u16s(&mut out, name.len());
        u16s(&mut out, 0);
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(data);

        u32s(&mut central, 0x0201_4b50);
        for x in [20, 20, 0, 0, 0, 0] {
            u16s(&mut central, x);
        }
        u32s(&mut central, 0);
        let wide = if zip64 { 0xFFFF_FFFF } else { data.len() };
        u32s(&mut central, wide);
        u32s(&mut central, wide);
        u16s(&mut central, name.len());
        u16s(&mut central, if zip64 { 28 } else { 0 });
        for x in [0, 0, 0] {
            u16s(&mut central, x);
        }
        u32s(&mut central, 0);
        u32s(&mut central, if zip64 { 0xFFFF_FFFF } else { local });
        central.extend_from_slice(name.as_bytes());
        if zip64 {
            u16s(&mut central, 1);
            u16s(&mut central, 24);
            for x in [data.len(), data.len(), local] {
                u64s(&mut central, x);
            }
        }
    }
    let dir_at = out.len();
    out.extend_from_slice(&central);
    let n = members.len();
    if zip64 {
        let rec_at = out.len();
        u32s(&mut out, 0x0606_4b50);
        u64s(&mut out, 44);
        u16s(&mut out, 45);
        u16s(&mut out, 45);
        u32s(&mut out, 0);
        u32s(&mut out, 0);
        for x in [n, n, central.len(), dir_at] {
            u64s(&mut out, x);
        }
        u32s(&mut out, 0x0706_4b50);
        u32s(&mut out, 0);
        u64s(&mut out, rec_at);
        u32s(&mut out, 1);
    }
    u32s(&mut out, 0x0605_4b50);
    u16s(&mut out, 0);
    u16s(&mut out, 0);
    let count = if zip64 { 0xFFFF } else { n };
    u16s(&mut out, count);
    u16s(&mut out, count);
    u32s(&mut out, if zip64 { 0xFFFF_FFFF } else { central.len() });
    u32s(&mut out, if zip64 { 0xFFFF_FFFF } else { dir_at });
    u16s(&mut out, 0);
    out
}

/// A whole `torch.save` file.
pub fn checkpoint(tensors: &[TorchTensor], storages: &[Storage], zip64: bool) -> Vec<u8> {
    let mut members = vec![("archive/data.pkl".to_string(), pickle(tensors, storages))];
    for s in storages {
        members.push((format!("archive/data/{}", s.key), s.data.clone()));
    }
    members.push(("archive/byteorder".into(), b"little".to_vec()));
    members.push(("archive/version".into(), b"3\n".to_vec()));
    zip(&members, zip64)
}
