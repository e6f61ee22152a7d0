"""Reads a torch zip checkpoint (state dict) into numpy arrays without torch."""
import zipfile, pickle, sys, numpy as np
class Stor:
    def __init__(s, key, dtype): s.key, s.dtype = key, dtype
def load(path):
    z = zipfile.ZipFile(path)
    names = z.namelist()
    pk = [n for n in names if n.endswith('data.pkl')][0]
    prefix = pk[:-len('data.pkl')]
    dt = {'FloatStorage': np.float32, 'LongStorage': np.int64, 'DoubleStorage': np.float64, 'IntStorage': np.int32, 'HalfStorage': np.float16}
    def rebuild(storage, offset, size, stride, *a):
        buf = np.frombuffer(z.read(prefix + 'data/' + storage.key), dtype=storage.dtype)
        if len(size)==0: return buf[offset:offset+1].reshape(())
        return np.lib.stride_tricks.as_strided(buf[offset:], shape=size, strides=[s*buf.itemsize for s in stride]).copy()
    class U(pickle.Unpickler):
        def find_class(self, mod, name):
            if name == '_rebuild_tensor_v2': return rebuild
            if name.endswith('Storage'): return name
            if mod == 'collections' and name == 'OrderedDict':
                import collections; return collections.OrderedDict
            if name == '_rebuild_parameter': return lambda t, *a: t
            class Dummy:
                def __init__(s,*a,**k): pass
                def __setstate__(s, st): s.state = st
            return Dummy
        def persistent_load(self, pid):
            _, typ, key, loc, n = pid
            return Stor(key, dt[typ])
    return U(z.open(pk)).load()
if __name__ == '__main__':
    d = load(sys.argv[1])
    if 'state_dict' in d: 
        print('keys', list(d.keys())); d = d['state_dict']
    tot=0
    for k, v in d.items():
        if hasattr(v,'shape'): print(k, v.shape, v.dtype); tot+=v.size
    print('params', tot)
