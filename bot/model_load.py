"""Loading DIET for prediction without Rasa's one-example training step.

Rasa 3.6 (`RasaModel.load`) builds a model's weights by training it on one
example (`model.fit`) and then loads the trained weights over them. That
traces Keras' whole training graph (gradients, Adam) once, and the process
keeps it: in the Rasa server DIET's load took 665 MB, 472 MB more than
needed (docs/benchmarks.md). Here the weights are built by one eager
prediction instead (no graph), the trained weights are loaded over them, and
the prediction graph is traced with those weights, as Rasa does after its
load. Every variable of the model is restored (checked); the checkpoint's
optimizer state is not needed for predictions and stays unread.

Only for prediction: when Rasa loads a model to train it further
(`finetune_mode`) or without an example to predict on, Rasa's own load runs.
Installed by bot/rasa_patches.py; `_run_eagerly` is listed in
bot/rasa_internals.py.
"""

from typing import Any

import tensorflow as tf


def load_for_prediction(
    cls, model_file_name: str, model_data_example, predict_data_example, **kwargs: Any
):
    """RasaModel.load for prediction, without the training step (see above)."""
    model = cls(**kwargs)
    config = kwargs.get("config", {})
    model.compile(
        optimizer=tf.keras.optimizers.Adam(config.get("learning_rate", 0.001)),
        run_eagerly=config.get("run_eagerly"),
    )
    traced = model._run_eagerly
    model._run_eagerly = True  # builds the weights without tracing a graph
    model.run_inference(predict_data_example)
    model._run_eagerly = traced
    status = model.load_weights(model_file_name)
    status.assert_existing_objects_matched()  # every weight of the model restored
    status.expect_partial()  # the optimizer state in the checkpoint is unused
    # The labels' embeddings were computed from the unloaded weights: again.
    model.prepared_for_prediction = False
    model.run_inference(predict_data_example)
    return model


def install() -> bool:
    """RasaModel.load without its training step when the model is for prediction."""
    from rasa.utils.tensorflow.models import RasaModel

    original = RasaModel.__dict__["load"].__func__
    if getattr(original, "for_prediction", False):
        return True

    def load(
        cls,
        model_file_name,
        model_data_example,
        predict_data_example=None,
        finetune_mode=False,
        *args,
        **kwargs,
    ):
        if finetune_mode or predict_data_example is None or args:
            return original(
                cls,
                model_file_name,
                model_data_example,
                predict_data_example,
                finetune_mode,
                *args,
                **kwargs,
            )
        return load_for_prediction(
            cls, model_file_name, model_data_example, predict_data_example, **kwargs
        )

    load.for_prediction = True
    load.original = original  # Rasa's own, for the test that compares both
    RasaModel.load = classmethod(load)
    return True
