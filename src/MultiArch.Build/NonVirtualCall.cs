using System.Reflection;
using System.Reflection.Emit;

namespace MultiArch.Build;

/// <summary>
/// Calls a method without virtual dispatch. C# cannot say "the interface's default body" once a class
/// overrides it, but IL's <c>call</c> (as opposed to <c>callvirt</c>) can; that is how Inherit reaches the base.
/// </summary>
internal static class NonVirtualCall
{
    public static T Invoke<T>(MethodInfo method, object instance)
    {
        var dynamicMethod = new DynamicMethod($"base_{method.Name}", typeof(T), [typeof(object)], typeof(NonVirtualCall).Module,
            skipVisibility: true);
        var il = dynamicMethod.GetILGenerator();
        il.Emit(OpCodes.Ldarg_0);
        il.Emit(OpCodes.Castclass, method.DeclaringType!);
        il.Emit(OpCodes.Call, method);
        il.Emit(OpCodes.Ret);
        return ((Func<object, T>)dynamicMethod.CreateDelegate(typeof(Func<object, T>)))(instance);
    }
}
