"""DFER-CLIP's forward pass in PyTorch, written from the facts in ../shared/REFERENCE.md section 7.

The reference the Swift recognizer (Sources/Recognition) is checked against, and the model the demo
recognizer is trained as. Module names follow DFER-CLIP's code (zengqunzhao/DFER-CLIP), so a
`state_dict()` of `DFERCLIP` has the released checkpoints' keys (without DataParallel's `module.`):
  image_encoder.*      OpenAI CLIP's VisionTransformer (`visual`): conv1, class_embedding,
                       positional_embedding, ln_pre, transformer.resblocks.N.*, ln_post, proj
  text_encoder.*       transformer.resblocks.N.*, positional_embedding, ln_final, text_projection
  temporal_net.*       cls_token, pos_embedding, temporal_transformer.layers.L.{0,1}.fn.{norm,fn.*}
  prompt_learner.*     ctx [n_cls, n_ctx, width], token_prefix / token_suffix buffers
  clip_model_.*        the whole CLIP again, sharing storage with the modules above
No `clip` package exists here, so CLIP's modules are re-declared with its parameter names.
"""
from collections import OrderedDict
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

# DFER-CLIP's 7 classes in its order, and MAFW's 11 (REFERENCE section 7); the demo uses the 7 + contempt.
DESCRIPTORS = {
    "happiness": "a smiling mouth, raised cheeks, wrinkled eyes, and arched eyebrows.",
    "sadness": "tears, a downward turned mouth, drooping upper eyelids, and a wrinkled forehead.",
    "neutral": "relaxed facial muscles, a straight mouth, a smooth forehead, and unremarkable eyebrows.",
    "anger": "furrowed eyebrows, narrow eyes, tightened lips, and flared nostrils.",
    "surprise": "widened eyes, an open mouth, raised eyebrows, and a frozen expression.",
    "disgust": "a wrinkled nose, lowered eyebrows, a tightened mouth, and narrow eyes.",
    "fear": "raised eyebrows, parted lips, a furrowed brow, and a retracted chin.",
    "contempt": "one side of its mouth raised, one eyebrow lower and one raised, narrowed eyes, and a raised chin.",
}
CLASSES_7 = ["happiness", "sadness", "neutral", "anger", "surprise", "disgust", "fear"]
CLASSES_8 = CLASSES_7 + ["contempt"]
N_CTX = 8
LOGIT_DIVISOR = 0.01


def prompt_text(descriptor, n_ctx=N_CTX):
    """The prompt learner's text: n_ctx placeholder words whose embeddings ctx replaces, then the descriptor."""
    return "X " * n_ctx + descriptor


class LayerNorm(nn.LayerNorm):
    """CLIP's LayerNorm computes in float32 whatever the input type."""

    def forward(self, x):
        return super().forward(x.float()).type(x.dtype)


class QuickGELU(nn.Module):
    def forward(self, x):
        return x * torch.sigmoid(1.702 * x)


class ResidualAttentionBlock(nn.Module):
    def __init__(self, d_model, n_head, attn_mask=None):
        super().__init__()
        self.attn = nn.MultiheadAttention(d_model, n_head)
        self.ln_1 = LayerNorm(d_model)
        self.mlp = nn.Sequential(OrderedDict([("c_fc", nn.Linear(d_model, d_model * 4)), ("gelu", QuickGELU()),
                                              ("c_proj", nn.Linear(d_model * 4, d_model))]))
        self.ln_2 = LayerNorm(d_model)
        self.attn_mask = attn_mask

    def attention(self, x):
        mask = self.attn_mask.to(dtype=x.dtype, device=x.device) if self.attn_mask is not None else None
        return self.attn(x, x, x, need_weights=False, attn_mask=mask)[0]

    def forward(self, x):
        x = x + self.attention(self.ln_1(x))
        return x + self.mlp(self.ln_2(x))


class Transformer(nn.Module):
    def __init__(self, width, layers, heads, attn_mask=None):
        super().__init__()
        self.resblocks = nn.Sequential(*[ResidualAttentionBlock(width, heads, attn_mask) for _ in range(layers)])

    def forward(self, x):  # [seq, batch, width], as CLIP runs it
        return self.resblocks(x)


class VisionTransformer(nn.Module):
    def __init__(self, input_resolution, patch_size, width, layers, heads, output_dim):
        super().__init__()
        self.input_resolution = input_resolution
        self.conv1 = nn.Conv2d(3, width, kernel_size=patch_size, stride=patch_size, bias=False)
        scale = width ** -0.5
        self.class_embedding = nn.Parameter(scale * torch.randn(width))
        self.positional_embedding = nn.Parameter(scale * torch.randn((input_resolution // patch_size) ** 2 + 1, width))
        self.ln_pre = LayerNorm(width)
        self.transformer = Transformer(width, layers, heads)
        self.ln_post = LayerNorm(width)
        self.proj = nn.Parameter(scale * torch.randn(width, output_dim))

    def forward(self, x):  # [n, 3, H, W] -> [n, output_dim]
        x = self.conv1(x).flatten(2).permute(0, 2, 1)
        cls = self.class_embedding.to(x.dtype) + torch.zeros(x.shape[0], 1, x.shape[-1], dtype=x.dtype)
        x = torch.cat([cls, x], dim=1) + self.positional_embedding.to(x.dtype)
        x = self.ln_pre(x)
        x = self.transformer(x.permute(1, 0, 2)).permute(1, 0, 2)
        return self.ln_post(x[:, 0, :]) @ self.proj


def causal_mask(context_length):
    mask = torch.empty(context_length, context_length)
    mask.fill_(float("-inf"))
    return mask.triu_(1)


class CLIP(nn.Module):
    def __init__(self, embed_dim, image_resolution, vision_layers, vision_width, vision_patch_size, vision_heads,
                 context_length, vocab_size, transformer_width, transformer_heads, transformer_layers):
        super().__init__()
        self.context_length = context_length
        self.visual = VisionTransformer(image_resolution, vision_patch_size, vision_width, vision_layers,
                                        vision_heads, embed_dim)
        self.transformer = Transformer(transformer_width, transformer_layers, transformer_heads,
                                       attn_mask=causal_mask(context_length))
        self.token_embedding = nn.Embedding(vocab_size, transformer_width)
        self.positional_embedding = nn.Parameter(0.01 * torch.randn(context_length, transformer_width))
        self.ln_final = LayerNorm(transformer_width)
        self.text_projection = nn.Parameter(transformer_width ** -0.5 * torch.randn(transformer_width, embed_dim))
        self.logit_scale = nn.Parameter(torch.ones([]) * math.log(1 / 0.07))


class TextEncoder(nn.Module):
    def __init__(self, clip_model):
        super().__init__()
        self.transformer = clip_model.transformer
        self.positional_embedding = clip_model.positional_embedding
        self.ln_final = clip_model.ln_final
        self.text_projection = clip_model.text_projection

    def forward(self, prompts, tokenized_prompts):
        x = prompts + self.positional_embedding
        x = self.transformer(x.permute(1, 0, 2)).permute(1, 0, 2)
        x = self.ln_final(x)
        # The feature at the EOT token, the largest id of each prompt.
        return x[torch.arange(x.shape[0]), tokenized_prompts.argmax(dim=-1)] @ self.text_projection


class PromptLearner(nn.Module):
    """CoOp with class-specific context: [SOS][ctx_c (n_ctx vectors)][descriptor tokens][EOS][pad]."""

    def __init__(self, tokenized_prompts, clip_model, n_ctx=N_CTX):
        super().__init__()
        n_cls = tokenized_prompts.shape[0]
        width = clip_model.ln_final.weight.shape[0]
        self.ctx = nn.Parameter(0.02 * torch.randn(n_cls, n_ctx, width))
        with torch.no_grad():
            embedding = clip_model.token_embedding(tokenized_prompts)
        self.register_buffer("token_prefix", embedding[:, :1, :].clone())
        self.register_buffer("token_suffix", embedding[:, 1 + n_ctx:, :].clone())
        self.tokenized_prompts = tokenized_prompts

    def forward(self):
        return torch.cat([self.token_prefix, self.ctx, self.token_suffix], dim=1)


class GELU(nn.Module):
    """DFER-CLIP's temporal model uses the tanh approximation of GELU."""

    def forward(self, x):
        return 0.5 * x * (1 + torch.tanh(math.sqrt(2 / math.pi) * (x + 0.044715 * torch.pow(x, 3))))


class Residual(nn.Module):
    def __init__(self, fn):
        super().__init__()
        self.fn = fn

    def forward(self, x):
        return self.fn(x) + x


class PreNorm(nn.Module):
    def __init__(self, dim, fn):
        super().__init__()
        self.norm = nn.LayerNorm(dim)
        self.fn = fn

    def forward(self, x):
        return self.fn(self.norm(x))


class FeedForward(nn.Module):
    def __init__(self, dim, hidden_dim, dropout=0.0):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(dim, hidden_dim), GELU(), nn.Dropout(dropout), nn.Linear(hidden_dim, dim))

    def forward(self, x):
        return self.net(x)


class Attention(nn.Module):
    def __init__(self, dim, heads, dim_head, dropout=0.0):
        super().__init__()
        inner = dim_head * heads
        self.heads = heads
        self.scale = dim_head ** -0.5
        self.to_qkv = nn.Linear(dim, inner * 3, bias=False)
        self.to_out = nn.Sequential(nn.Linear(inner, dim), nn.Dropout(dropout))

    def forward(self, x):
        b, n, _ = x.shape
        q, k, v = (t.reshape(b, n, self.heads, -1).transpose(1, 2) for t in self.to_qkv(x).chunk(3, dim=-1))
        attn = (q @ k.transpose(-1, -2) * self.scale).softmax(dim=-1)
        out = (attn @ v).transpose(1, 2).reshape(b, n, -1)
        return self.to_out(out)


class TemporalTransformer(nn.Module):
    def __init__(self, dim, depth, heads, dim_head, mlp_dim):
        super().__init__()
        self.layers = nn.ModuleList([nn.ModuleList([Residual(PreNorm(dim, Attention(dim, heads, dim_head))),
                                                    Residual(PreNorm(dim, FeedForward(dim, mlp_dim)))])
                                     for _ in range(depth)])

    def forward(self, x):
        for attn, ff in self.layers:
            x = ff(attn(x))
        return x


class TemporalTransformerCls(nn.Module):
    """DFER-CLIP's Temporal_Transformer_Cls: a learnable class token in front of the frames, learned positions."""

    def __init__(self, num_patches, input_dim, depth, heads, mlp_dim, dim_head):
        super().__init__()
        self.num_patches = num_patches
        self.input_dim = input_dim
        self.cls_token = nn.Parameter(torch.randn(1, 1, input_dim))
        self.pos_embedding = nn.Parameter(torch.randn(1, num_patches + 1, input_dim))
        self.temporal_transformer = TemporalTransformer(input_dim, depth, heads, dim_head, mlp_dim)

    def forward(self, x):
        x = x.contiguous().view(-1, self.num_patches, self.input_dim)
        b, n, _ = x.shape
        x = torch.cat([self.cls_token.expand(b, -1, -1), x], dim=1) + self.pos_embedding[:, :n + 1]
        return self.temporal_transformer(x)[:, 0]


class DFERCLIP(nn.Module):
    """DFER-CLIP's GenerateModel. `config` is the recognizer's config.json (see `default_config`)."""

    def __init__(self, config, tokenized_prompts):
        super().__init__()
        v, t, tm = config["vision"], config["text"], config["temporal"]
        clip = CLIP(config["embed_dim"], v["image_size"], v["layers"], v["width"], v["patch_size"], v["heads"],
                    t["context_length"], t["vocab_size"], t["width"], t["heads"], t["layers"])
        self.frames = tm["frames"]
        self.prompt_learner = PromptLearner(tokenized_prompts, clip, config["n_ctx"])
        self.tokenized_prompts = tokenized_prompts
        self.text_encoder = TextEncoder(clip)
        self.image_encoder = clip.visual
        self.temporal_net = TemporalTransformerCls(tm["frames"], config["embed_dim"], tm["layers"], tm["heads"],
                                                   tm["mlp_dim"], tm["dim_head"])
        self.clip_model_ = clip

    def text_features(self):
        f = self.text_encoder(self.prompt_learner(), self.tokenized_prompts)
        return f / f.norm(dim=-1, keepdim=True)

    def frame_embeddings(self, pixels):  # [n, frames, 3, H, W] -> [n, frames, embed_dim]
        n, t = pixels.shape[:2]
        return self.image_encoder(pixels.reshape(n * t, *pixels.shape[2:])).view(n, t, -1)

    def video_features(self, frame_embeddings):
        v = self.temporal_net(frame_embeddings)
        return v / v.norm(dim=-1, keepdim=True)

    def forward(self, pixels):
        return self.video_features(self.frame_embeddings(pixels)) @ self.text_features().t() / LOGIT_DIVISOR


def test_indices(num_frames, segments=16):
    """DFER-CLIP's `_get_test_indices`: the middle frame of each of 16 segments, or all frames then the last repeated."""
    if num_frames > segments:
        tick = num_frames / segments
        return [int(tick / 2.0 + tick * x) for x in range(segments)]
    return list(range(num_frames)) + [num_frames - 1] * (segments - num_frames)


def tokenize(tokenizer, texts, context_length):
    """CLIP's `clip.tokenize`: [SOT] ids [EOT], zero-padded to the context length."""
    rows = []
    for text in texts:
        ids = tokenizer(text)["input_ids"]
        if len(ids) > context_length:
            raise ValueError(f"prompt of {len(ids)} tokens exceeds the context length {context_length}: {text!r}")
        rows.append(ids + [0] * (context_length - len(ids)))
    return torch.tensor(rows, dtype=torch.long)
