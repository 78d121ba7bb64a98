"""The demo pack's small BLIP-2 configuration (paper architecture, toy widths).

Full-size settings of the paper for comparison: EVA ViT-g/14 (39 x 1408), Q-Former 12 x 768 with 32 queries,
OPT-2.7B/6.7B. The demo uses the sizes below so that the whole pack trains on 2 CPU cores in about an hour;
`DEMO_FULL` is what we would train with more time (patch 16, 6-layer ViT, 32 queries).
"""
from transformers import Blip2Config, Blip2QFormerConfig, Blip2VisionConfig, OPTConfig

# 224 px in 32-px patches (49 tokens): on the 2-core CPU a from-scratch ViT at 160/16 (100 tokens) sat on
# the label prior for 1500 steps, while 224/32 started to read AUs after ~600 (probe, label F1 0.3).
DEMO = dict(image=224, patch=32, vit_layers=4, vit_width=192, vit_mlp=576, q_layers=4, q_width=192, q_mlp=576, queries=16,
            cross_every=2, lm_layers=4, lm_width=256, lm_ffn=768, lm_heads=4, max_pos=160)
DEMO_FULL = dict(DEMO, image=224, patch=16, vit_layers=6, vit_mlp=768, q_mlp=768, queries=32, cross_every=1)


def text_config(vocab_size, s=DEMO):
    return OPTConfig(vocab_size=vocab_size, hidden_size=s["lm_width"], num_hidden_layers=s["lm_layers"],
                     ffn_dim=s["lm_ffn"], num_attention_heads=s["lm_heads"], max_position_embeddings=s["max_pos"],
                     word_embed_proj_dim=s["lm_width"], do_layer_norm_before=True, activation_function="relu",
                     bos_token_id=2, eos_token_id=2, pad_token_id=1, dropout=0.1, attention_dropout=0.0,
                     tie_word_embeddings=True, enable_bias=True, layer_norm_elementwise_affine=True)


def blip2_config(text_cfg, image_token_index, s=DEMO):
    vision = Blip2VisionConfig(hidden_size=s["vit_width"], intermediate_size=s["vit_mlp"],
                               num_hidden_layers=s["vit_layers"], num_attention_heads=s["vit_width"] // 64,
                               image_size=s["image"], patch_size=s["patch"], hidden_act="gelu", layer_norm_eps=1e-6,
                               attention_dropout=0.0, qkv_bias=True,
                               # Blip2VisionConfig defaults to 1e-10 (the real ViT is always loaded from EVA
                               # weights); from scratch that leaves every ViT weight ~1e-10, LayerNorm's eps
                               # swamps the activations and the image never reaches the Q-Former.
                               initializer_range=0.02)
    qformer = Blip2QFormerConfig(hidden_size=s["q_width"], num_hidden_layers=s["q_layers"],
                                 num_attention_heads=s["q_width"] // 64, intermediate_size=s["q_mlp"],
                                 cross_attention_frequency=s["cross_every"], encoder_hidden_size=s["vit_width"],
                                 vocab_size=text_cfg.vocab_size, max_position_embeddings=s["max_pos"])
    cfg = Blip2Config(vision_config=vision.to_dict(), qformer_config=qformer.to_dict(),
                      text_config=text_cfg.to_dict(), num_query_tokens=s["queries"],
                      image_token_index=image_token_index)
    return cfg
