"""CAM++ (3D-Speaker) forward pass in plain numpy, written from the module code of
speakerlab/models/campplus (DTDNN.py, layers.py), for checking medlyt's Rust port.
Eval mode: batch norms use their running statistics; no final ReLU after the last batch norm."""
import numpy as np

EPS = 1e-5


def bn(x, w, p, affine=True):
    """Batch norm over axis 0 (channels) of x [C, ...]."""
    shape = (-1,) + (1,) * (x.ndim - 1)
    y = (x - w[p + ".running_mean"].reshape(shape)) / np.sqrt(w[p + ".running_var"].reshape(shape) + EPS)
    if affine:
        y = y * w[p + ".weight"].reshape(shape) + w[p + ".bias"].reshape(shape)
    return y


def relu(x):
    return np.maximum(x, 0)


def conv2d(x, k, stride=(1, 1), pad=1):
    """x [Cin, H, W], k [Cout, Cin, kh, kw]."""
    cin, h, w = x.shape
    cout, _, kh, kw = k.shape
    xp = np.pad(x, ((0, 0), (pad, pad), (pad, pad)))
    oh = (h + 2 * pad - kh) // stride[0] + 1
    ow = (w + 2 * pad - kw) // stride[1] + 1
    out = np.zeros((cout, oh, ow))
    for i in range(kh):
        for j in range(kw):
            patch = xp[:, i:i + stride[0] * oh:stride[0], j:j + stride[1] * ow:stride[1]]
            out += np.einsum("oc,chw->ohw", k[:, :, i, j], patch)
    return out


def conv1d(x, k, stride=1, pad=0, dil=1, bias=None):
    """x [Cin, T], k [Cout, Cin, K]."""
    cin, t = x.shape
    cout, _, kk = k.shape
    xp = np.pad(x, ((0, 0), (pad, pad)))
    ot = (t + 2 * pad - dil * (kk - 1) - 1) // stride + 1
    out = np.zeros((cout, ot))
    for i in range(kk):
        patch = xp[:, i * dil:i * dil + stride * ot:stride]
        out += k[:, :, i] @ patch
    if bias is not None:
        out += bias[:, None]
    return out


def res_block(x, w, p, stride):
    out = relu(bn(conv2d(x, w[p + ".conv1.weight"], (stride, 1)), w, p + ".bn1"))
    out = bn(conv2d(out, w[p + ".conv2.weight"]), w, p + ".bn2")
    if p + ".shortcut.0.weight" in w:
        sc = bn(conv2d(x, w[p + ".shortcut.0.weight"], (stride, 1), pad=0), w, p + ".shortcut.1")
    else:
        sc = x
    return relu(out + sc)


def fcm(feat, w):
    """feat [80, T] -> [320, T]."""
    x = feat[None]
    x = relu(bn(conv2d(x, w["head.conv1.weight"]), w, "head.bn1"))
    for layer in ("layer1", "layer2"):
        x = res_block(x, w, f"head.{layer}.0", 2)
        x = res_block(x, w, f"head.{layer}.1", 1)
    x = relu(bn(conv2d(x, w["head.conv2.weight"], (2, 1)), w, "head.bn2"))
    return x.reshape(-1, x.shape[-1])


def seg_pool(x, seg=100):
    t = x.shape[-1]
    n = -(-t // seg)
    out = np.zeros_like(x)
    for i in range(n):
        out[:, i * seg:(i + 1) * seg] = x[:, i * seg:(i + 1) * seg].mean(-1, keepdims=True)
    return out


def cam_layer(x, w, p, dil):
    y = conv1d(x, w[p + ".linear_local.weight"], pad=dil, dil=dil)
    ctx = x.mean(-1, keepdims=True) + seg_pool(x)
    ctx = relu(conv1d(ctx, w[p + ".linear1.weight"], bias=w[p + ".linear1.bias"]))
    m = 1 / (1 + np.exp(-conv1d(ctx, w[p + ".linear2.weight"], bias=w[p + ".linear2.bias"])))
    return y * m


def embed(feat, w):
    """feat [T, 80] (mean-normalised log fbank) -> 192-d embedding."""
    x = fcm(feat.T.astype(np.float64), w)
    x = relu(bn(conv1d(x, w["xvector.tdnn.linear.weight"], stride=2, pad=2), w, "xvector.tdnn.nonlinear.batchnorm"))
    for b, (n, dil) in enumerate(zip((12, 24, 16), (1, 2, 2)), 1):
        for i in range(1, n + 1):
            p = f"xvector.block{b}.tdnnd{i}"
            h = relu(bn(x, w, p + ".nonlinear1.batchnorm"))
            h = conv1d(h, w[p + ".linear1.weight"])
            h = relu(bn(h, w, p + ".nonlinear2.batchnorm"))
            x = np.concatenate([x, cam_layer(h, w, p + ".cam_layer", dil)], 0)
        p = f"xvector.transit{b}"
        x = conv1d(relu(bn(x, w, p + ".nonlinear.batchnorm")), w[p + ".linear.weight"])
    x = relu(bn(x, w, "xvector.out_nonlinear.batchnorm"))
    stats = np.concatenate([x.mean(-1), x.std(-1, ddof=1)])
    e = w["xvector.dense.linear.weight"][:, :, 0] @ stats
    return bn(e, w, "xvector.dense.nonlinear.batchnorm", affine=False)
